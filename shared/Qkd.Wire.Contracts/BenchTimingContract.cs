using MessagePack;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BenchTiming"/>: settling of one MUX/DAC transition.</summary>
[MessagePackObject]
public sealed class BenchTimingContract
{
    [Key(0)]
    public byte From { get; set; }

    [Key(1)]
    public byte To { get; set; }

    [Key(2)]
    public uint SettleNs { get; set; }

    [Key(3)]
    public uint SettleMaxNs { get; set; }
}
