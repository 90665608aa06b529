using Qkd.Simulation.Devices.Optics;

namespace Qkd.Simulation.Physics;

/// <summary>
/// Click pattern probabilities per pulse for each of the 8 (Alice code, Bob basis) pairs, before dead
/// time and afterpulsing. The EOMs are wave plates on one axis, so the retardances add and
/// P(photon to APD0) = sin^2((Gamma_A + Gamma_B) / 2) (README); misalignment e mixes the ports.
/// </summary>
public sealed class ClickTable
{
    public const int AliceCodes = 4;
    public const int BobBases = 2;

    private readonly double[] _onlyApd0 = new double[AliceCodes * BobBases];
    private readonly double[] _onlyApd1 = new double[AliceCodes * BobBases];
    private readonly double[] _toApd0 = new double[AliceCodes * BobBases];
    private readonly double _multiPhoton;

    public ClickTable(PhysicsParameters parameters, ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (aliceChannelVolts.Length != AliceCodes) throw new ArgumentException($"Alice has {AliceCodes} EOM channels (H, V, R, L), got {aliceChannelVolts.Length}.", nameof(aliceChannelVolts));
        if (bobChannelVolts.Length != BobBases) throw new ArgumentException($"Bob has {BobBases} EOM channels (basis 0, 1), got {bobChannelVolts.Length}.", nameof(bobChannelVolts));
        foreach (double v in aliceChannelVolts) if (!double.IsFinite(v)) throw new ArgumentOutOfRangeException(nameof(aliceChannelVolts), v, "EOM voltage must be finite");
        foreach (double v in bobChannelVolts) if (!double.IsFinite(v)) throw new ArgumentOutOfRangeException(nameof(bobChannelVolts), v, "EOM voltage must be finite");

        var aliceEom = new EomModel(parameters.AliceHalfWaveVolts, scope: "alice");
        var bobEom = new EomModel(parameters.BobHalfWaveVolts, scope: "bob");
        double eta = parameters.Transmittance, dark = parameters.DarkCountProbabilityPerGate;
        double e = parameters.MisalignmentProbability;
        var source = parameters.Source;
        _multiPhoton = Math.Max(0, 1 - source.ProbabilityOf(0) - source.ProbabilityOf(1));
        // P(at least one APD fires) does not depend on the polarisation: the same for every pair.
        AnyClick = 1 - (1 - dark) * (1 - dark) * (1 - source.ProbabilityAnyKept(eta));
        for (int a = 0; a < AliceCodes; a++)
        {
            for (int b = 0; b < BobBases; b++)
            {
                double half = (aliceEom.RetardanceFor(aliceChannelVolts[a]) + bobEom.RetardanceFor(bobChannelVolts[b])) / 2;
                double ideal = Math.Sin(half) * Math.Sin(half);
                double p0 = (1 - e) * ideal + e * (1 - ideal);
                // Photons split binomially between the ports; each APD fires on a photon or a dark count.
                double fires0 = 1 - (1 - dark) * (1 - source.ProbabilityAnyKept(eta * p0));
                double fires1 = 1 - (1 - dark) * (1 - source.ProbabilityAnyKept(eta * (1 - p0)));
                int i = a * BobBases + b;
                _toApd0[i] = p0;
                _onlyApd0[i] = Math.Max(0, AnyClick - fires1);
                _onlyApd1[i] = Math.Max(0, AnyClick - fires0);
            }
        }
    }

    /// <summary>Probability that a pulse gives any click (single or double), the same for every pair.</summary>
    public double AnyClick { get; }

    /// <summary>Probability that a detected photon of this pair goes to APD0.</summary>
    public double PhotonToApd0(int aliceCode, int bobBasis) => _toApd0[Index(aliceCode, bobBasis)];

    public double OnlyApd0(int aliceCode, int bobBasis) => _onlyApd0[Index(aliceCode, bobBasis)];

    public double OnlyApd1(int aliceCode, int bobBasis) => _onlyApd1[Index(aliceCode, bobBasis)];

    public double DoubleClick(int aliceCode, int bobBasis)
    {
        int i = Index(aliceCode, bobBasis);
        return Math.Max(0, AnyClick - _onlyApd0[i] - _onlyApd1[i]);
    }

    /// <summary>Expected rates for uniformly random tables (what the sessions draw).</summary>
    public DetectionExpectation Expectation()
    {
        double single = 0, doubles = 0, sifted = 0, errors = 0;
        for (int a = 0; a < AliceCodes; a++)
        {
            for (int b = 0; b < BobBases; b++)
            {
                double only0 = OnlyApd0(a, b), only1 = OnlyApd1(a, b);
                single += only0 + only1;
                doubles += DoubleClick(a, b);
                if ((a >> 1) != b) continue;
                sifted += only0 + only1;
                errors += (a & 1) == 0 ? only1 : only0; // bit 0 = H, R -> APD0
            }
        }
        const double pairs = AliceCodes * BobBases;
        return new DetectionExpectation(AnyClick, single / pairs, doubles / pairs, sifted / pairs, sifted > 0 ? errors / sifted : 0, _multiPhoton);
    }

    private static int Index(int aliceCode, int bobBasis)
    {
        if ((uint)aliceCode >= AliceCodes) throw new ArgumentOutOfRangeException(nameof(aliceCode), aliceCode, "Alice's MUX code must be 0..3");
        if ((uint)bobBasis >= BobBases) throw new ArgumentOutOfRangeException(nameof(bobBasis), bobBasis, "Bob's basis must be 0 or 1");
        return aliceCode * BobBases + bobBasis;
    }
}

/// <summary>
/// Expected per-pulse probabilities for uniformly random Alice codes and Bob bases, without dead time and
/// afterpulsing (negligible for the presets: README). For statistical bounds in tests.
/// </summary>
/// <param name="DetectionProbability">any click (single or double) per pulse</param>
/// <param name="SingleClickProbability">exactly one APD per pulse</param>
/// <param name="DoubleClickProbability">both APDs per pulse</param>
/// <param name="SiftedProbability">single click with matching bases, per pulse</param>
/// <param name="Qber">errors among sifted single clicks</param>
/// <param name="MultiPhotonEmissionProbability">P_m: two or more photons leave the source in one pulse
/// (A = (p_det - P_m) / p_det in the hbn-2023 key length)</param>
public sealed record DetectionExpectation(double DetectionProbability, double SingleClickProbability, double DoubleClickProbability, double SiftedProbability, double Qber, double MultiPhotonEmissionProbability);
