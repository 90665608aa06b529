using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="DacWriteMessage"/>: Write one DAC channel code now (calibration).</summary>
[MessagePackObject]
public sealed class DacWriteContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.DacWrite;

    /// <summary>DAC channel 0..3 (A..D).</summary>
    [Key(0)]
    public byte Channel { get; set; }

    /// <summary>16-bit DAC code.</summary>
    [Key(1)]
    public ushort Code { get; set; }
}
