namespace Qkd.Simulation.Physics;

/// <summary>A named set of physics parameters with its ideal-bench EOM voltages and expected rates.</summary>
public sealed class PhysicsPreset
{
    public PhysicsPreset(string name, string description, PhysicsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Name = name;
        Description = description;
        Parameters = parameters;
    }

    public string Name { get; }

    public string Description { get; }

    public PhysicsParameters Parameters { get; }

    /// <summary>Voltage at Alice's EOM per MUX channel (H, V, R, L) on an ideal bench.</summary>
    public double[] AliceNominalVolts => Parameters.NominalAliceVolts();

    /// <summary>Voltage at Bob's EOM per MUX channel (basis 0, basis 1) on an ideal bench.</summary>
    public double[] BobNominalVolts => Parameters.NominalBobVolts();

    /// <summary>Expected detection probability and QBER at the nominal voltages (random tables).</summary>
    public DetectionExpectation Expectation => new ClickTable(Parameters, AliceNominalVolts, BobNominalVolts).Expectation();

    /// <summary>New optics set to the nominal voltages.</summary>
    public EventDrivenOptics CreateOptics() => new(Parameters);
}

/// <summary>
/// The presets by name. Every number is cited; README.md has the table and the derivations of the two
/// fitted ones (hbn-2023 optics transmission and misalignment).
/// </summary>
public static class PhysicsPresets
{
    public const string Hbn2023 = "hbn-2023";
    public const string Qd2024 = "qd-2024";

    private static readonly PhysicsPreset[] All =
    [
        new(Hbn2023, "hBN single-photon source, 500 kHz, SPCM-AQRH APDs (papers/hbn-bb84-2023)", new PhysicsParameters
        {
            ClockHz = 500_000,                                   // paper: "at a rate of 500 kHz"
            Source = PhotonSource.SinglePhoton(0.012, 0.08),     // paper: mu = 0.012, g2(0) = 0.08
            ChannelLossDb = 0,                                   // paper: "tens of centimetres in free space"
            OpticsTransmission = 0.38,                           // fitted: ~1500 cts/s at Bob (paper, Table I) / (mu x APD eff.)
            Detector = new DetectorParameters
            {
                Efficiency = 0.65,                               // hardware.md: SPCM-AQRH ~65 % near 650 nm
                DarkCountsPerSecond = 500,                       // hardware.md: up to ~500 cts/s, -12 grade
                DeadTimeNs = 22,                                 // hardware.md: ~22 ns
                AfterpulseProbability = 0.005,                   // hardware.md: ~0.5 %
                AfterpulseDecayNs = 100,                         // assumed (not in the sources); irrelevant at 2 us period
            },
            GateWidthNs = 40,                                    // paper: "gating time of 40 ns"
            AliceHalfWaveVolts = 180,                            // boards/alice-esp32.json eom.halfWaveVolts
            BobHalfWaveVolts = 175,                              // boards/bob-esp32.json eom.halfWaveVolts
            MisalignmentProbability = 0.054,                     // fitted: QBER ~6 % (paper Table I runs 1, 2) less dark counts
        }),
        new(Qd2024, "quantum-dot single-photon source, field run (papers/qd-sps-qkd-2024, table 1)", new PhysicsParameters
        {
            ClockHz = 76.13e6,                                   // table 1: clock rate R
            Source = PhotonSource.SinglePhoton(0.292, 0.00698),  // table 1: <n> (includes eta_QD x eta_T), g2(0)
            ChannelLossDb = 14.6,                                // table 1: channel loss l
            OpticsTransmission = 0.6,                            // table 1: fiber optics efficiency eta_FO
            Detector = new DetectorParameters
            {
                Efficiency = 0.712,                              // table 1: eta_D
                DarkCountsPerSecond = 43.0 / 2,                  // table 1: DC 43 cps in total, split over our two APDs
                DeadTimeNs = 0,                                  // not in table 1; 0 keeps its rates
                AfterpulseProbability = 0,                       // SNSPDs; not in table 1
            },
            GateWidthNs = 3.42,                                  // table 1: t_GW (43 cps x 3.42 ns = p_DC 1.47e-7)
            AliceHalfWaveVolts = 180,                            // our bench's EOMs (boards/*.json), not the paper's
            BobHalfWaveVolts = 175,
            MisalignmentProbability = 0.0254,                    // table 1: p_mis
        }),
    ];

    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(All, p => p.Name);

    /// <summary>The preset called <paramref name="name"/> (case-insensitive); ArgumentException naming the known ones otherwise.</summary>
    public static PhysicsPreset Get(string name) =>
        TryGet(name, out var preset) ? preset : throw new ArgumentException($"unknown physics preset '{name}'; known: {string.Join(", ", Names)}.");

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PhysicsPreset? preset)
    {
        foreach (var candidate in All)
        {
            if (!string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            preset = candidate;
            return true;
        }
        preset = null;
        return false;
    }
}
