using Qkd.Wire;

namespace Qkd.Simulation.Emulation;

/// <summary>One ordered transition over its repeats: EOM settling (emulated analog) and the firmware's own trigger-to-MUX latency.</summary>
public sealed record BenchTransitionResult(int From, int To, long SettleNs, long SettleMaxNs, bool Settled, long FirmwareLatencyNs, long FirmwareLatencyMaxNs);

/// <summary>
/// An emulated bench run. <see cref="MaxPulseRateHz"/> = 1 / (worst settle + pulse margin): the fastest
/// clock at which every transition settles before the optical pulse, which passes the EOM
/// <see cref="PulseMarginNs"/> before the next trigger at the latest.
/// </summary>
public sealed record BenchBoardResult(
    string Board,
    string Scope,
    uint RateHz,
    long PeriodNs,
    double ToleranceRad,
    long PulseMarginNs,
    long SampleNs,
    double SlewVoltsPerUs,
    double BandwidthHz,
    IReadOnlyList<BenchTransitionResult> Transitions,
    IReadOnlyList<BenchMeasuredTransition> Measured,
    BenchReportMessage FirmwareReport)
{
    public long WorstSettleNs => Transitions.Count == 0 ? 0 : Transitions.Max(t => t.SettleMaxNs);

    public double MaxPulseRateHz => 1e9 / (WorstSettleNs + PulseMarginNs);

    /// <summary>When the optical pulse passes the EOM, after its trigger: one period minus the margin.</summary>
    public long PulseArrivalAfterTriggerNs => PeriodNs - PulseMarginNs;

    /// <summary>Every transition settled before the optical pulse at this rate.</summary>
    public bool FeasibleAtRate => Transitions.All(t => t.Settled) && WorstSettleNs <= PulseArrivalAfterTriggerNs;

    /// <summary>Settle time to spare at this rate (negative: late by that much).</summary>
    public long SlackNs => PulseArrivalAfterTriggerNs - WorstSettleNs;
}
