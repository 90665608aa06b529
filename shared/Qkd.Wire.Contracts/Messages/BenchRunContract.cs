using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BenchRunMessage"/>: Measure MUX/DAC transition settling on the bench.</summary>
[MessagePackObject]
public sealed class BenchRunContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.BenchRun;

    /// <summary>Transition rate to test.</summary>
    [Key(0)]
    public uint RateHz { get; set; }

    /// <summary>Repetitions of each transition.</summary>
    [Key(1)]
    public uint Repeats { get; set; }

    /// <summary>Pairs of MUX channels (from, to), one byte each; Alice 0..3, Bob 0..1.</summary>
    [Key(2)]
    public byte[] Transitions { get; set; } = [];
}
