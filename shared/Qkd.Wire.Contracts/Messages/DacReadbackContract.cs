using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="DacReadbackMessage"/>: A DAC register as read back over SDO.</summary>
[MessagePackObject]
public sealed class DacReadbackContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.DacReadback;

    /// <summary>DAC address bits (0..3 = A..D).</summary>
    [Key(0)]
    public byte Channel { get; set; }

    /// <summary>AD5754 register: 0 DAC data, 1 range, 2 power control, 3 control.</summary>
    [Key(1)]
    public byte Register { get; set; }

    /// <summary>The 16 data bits read back.</summary>
    [Key(2)]
    public ushort Value { get; set; }
}
