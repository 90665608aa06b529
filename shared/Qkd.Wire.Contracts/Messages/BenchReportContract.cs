using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BenchReportMessage"/>: Result of a BenchRun.</summary>
[MessagePackObject]
public sealed class BenchReportContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.BenchReport;

    /// <summary>Rate that was run.</summary>
    [Key(0)]
    public uint RateHz { get; set; }

    /// <summary>Repetitions per transition.</summary>
    [Key(1)]
    public uint Repeats { get; set; }

    /// <summary>Per transition: [from, to, settleNs, settleMaxNs].</summary>
    [Key(2)]
    public BenchTimingContract[] Timings { get; set; } = [];
}
