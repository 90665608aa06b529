using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

/// <summary>Pseudo-random tables, a recording sink and statistical assertions for the physics tests.</summary>
internal sealed class PhysicsRun
{
    private readonly ulong _tableSeed;

    public PhysicsRun(ulong tableSeed = 7) => _tableSeed = tableSeed;

    public List<int> Pulses { get; } = [];
    public List<byte> Codes { get; } = [];
    public long AliceCalls { get; private set; }
    public long BobCalls { get; private set; }
    public HashSet<int> QueriedPulses { get; } = [];
    public bool RecordQueries { get; init; }

    public int AliceCode(int pulse) { AliceCalls++; if (RecordQueries) QueriedPulses.Add(pulse); return (int)(Hash(pulse) & 3); }

    public int BobBasis(int pulse) { BobCalls++; return (int)((Hash(pulse) >> 2) & 1); }

    public int AliceCodeQuiet(int pulse) => (int)(Hash(pulse) & 3);

    public int BobBasisQuiet(int pulse) => (int)((Hash(pulse) >> 2) & 1);

    public void Sink(int pulse, byte code) { Pulses.Add(pulse); Codes.Add(code); }

    public static PhysicsRun Simulate(IBlockOptics optics, int pulses, ulong blockSeed, ulong tableSeed = 7, bool recordQueries = false)
    {
        var run = new PhysicsRun(tableSeed) { RecordQueries = recordQueries };
        optics.SimulateBlock(pulses, run.AliceCode, run.BobBasis, blockSeed, run.Sink);
        return run;
    }

    public long Count(byte code) => Codes.Count(c => c == code);

    /// <summary>Sifted single clicks (matching bases) and the errors among them.</summary>
    public (long Sifted, long Errors) Sift()
    {
        long sifted = 0, errors = 0;
        for (int k = 0; k < Pulses.Count; k++)
        {
            if (Codes[k] == 3) continue;
            int a = AliceCodeQuiet(Pulses[k]);
            if ((a >> 1) != BobBasisQuiet(Pulses[k])) continue;
            sifted++;
            if ((a & 1) != Codes[k] - 1) errors++;
        }
        return (sifted, errors);
    }

    private ulong Hash(long pulse)
    {
        ulong z = (ulong)pulse * 0x9E3779B97F4A7C15UL + _tableSeed;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

internal static class Stat
{
    /// <summary>Asserts a binomial count lies within <paramref name="sigmas"/> standard deviations of n p.</summary>
    public static void WithinSigma(long observed, long trials, double p, double sigmas = 5, string what = "count")
    {
        double mean = trials * p, sd = Math.Sqrt(trials * p * (1 - p));
        Assert.True(Math.Abs(observed - mean) <= sigmas * sd + 1e-9,
            $"{what}: observed {observed}, expected {mean:F1} +- {sigmas} x {sd:F1}");
    }
}
