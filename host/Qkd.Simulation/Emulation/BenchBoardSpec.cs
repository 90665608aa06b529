using Qkd.Wire;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// What the emulated bench board is built from: the board file's Configure (pins, SPI, DAC range,
/// coding and channel codes, latch-clear and scope-sync pins, exactly as the host would send it), and the analog
/// facts of the drive chain (amplifier gain and rail, EOM V_pi).
/// </summary>
public sealed record BenchBoardSpec(
    string Name,
    ConfigureMessage Configure,
    double AmplifierGain,
    double AmplifierClampVolts,
    double EomHalfWaveVolts)
{
    public bool IsAlice => Configure.Role == BoardRole.Alice;

    /// <summary>VCD scope of the board: "alice" or "bob".</summary>
    public string Scope => IsAlice ? "alice" : "bob";
}

/// <summary>Model parameters and measurement settings of an emulated bench run (defaults: datasheet typicals, hardware.md).</summary>
public sealed record BenchBoardOptions
{
    /// <summary>HV amplifier slew limit (verify on the bench; 150 V/us is the model default).</summary>
    public double SlewVoltsPerUs { get; init; } = 150.0;

    /// <summary>HV amplifier -3 dB bandwidth.</summary>
    public double BandwidthHz { get; init; } = 1.0e6;

    /// <summary>MUX36D04 break-before-make transition (about 100 ns).</summary>
    public long MuxTransitionNs { get; init; } = 100;

    /// <summary>Retardance error allowed at the optical pulse: 0.05 rad adds sin^2(0.025) = 0.06 % to the QBER.</summary>
    public double ToleranceRad { get; init; } = 0.05;

    /// <summary>
    /// Time before the next trigger at which the optical pulse passes the EOM at the latest (its
    /// width and jitter; 40 ns = the APD gate). A transition is in time when settle + margin &lt;= period.
    /// </summary>
    public long PulseMarginNs { get; init; } = 40;

    /// <summary>Virtual-time step of the analog sampling (the settle resolution).</summary>
    public long SampleNs { get; init; } = 5;

    /// <summary>Repetitions of each transition.</summary>
    public uint Repeats { get; init; } = 1;

    /// <summary>Width of the emulated laser trigger pulse on the trigger wire.</summary>
    public long TriggerWidthNs { get; init; } = 20;
}
