using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Pipeline;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

public class PipelineTests
{
    private static (BitVector Alice, BitVector Bob) Correlated(int bits, double qber, int seed)
    {
        var rng = new Random(seed);
        var bob = BitVector.Random(bits, rng);
        var alice = bob.Slice(0, bits);
        for (int i = 0; i < bits; i++) if (rng.NextDouble() < qber) alice[i] = !alice[i];
        return (alice, bob);
    }

    [Fact]
    public void BothSidesEndWithIdenticalKeysOfTheComputedLength()
    {
        var (alice, bob) = Correlated(100_000, 0.03, 1);
        var pipeline = new BlockPipeline(Reconcilers.Create("paper"));
        var report = pipeline.Run(alice, bob, zLength: 50_000, sampleSeed: 99);
        Assert.Equal(10_000, report.SampleBits);
        Assert.InRange(report.Qber.Qber, 0.02, 0.04);
        Assert.True(report.FramesOk > 0, $"ok {report.FramesOk} failed {report.FramesFailed} leak {report.ReconciliationLeakBits}");
        Assert.True(report.SecretKeyBits > 0);
        Assert.Equal(report.KeyLength.KeyBits, report.SecretKeyBits);
        Assert.True(report.KeysMatch);
        // Secret bits never exceed what the profile allows for the reconciled bits and the leak.
        var expected = KeyLengthProfiles.Get("tomamichel-2012").Compute(new KeyLengthInput
        {
            Qber = report.Qber.Qber, KeyBits = report.ReconciledBits, SampleBits = report.SampleBits,
            LeakBits = report.ReconciliationLeakBits + report.ConfirmationBits,
        });
        Assert.Equal(expected.KeyBits, report.SecretKeyBits);
    }

    [Fact]
    public void DefaultAdaptivePipelineAtSixPercentGivesIdenticalKeys()
    {
        var (alice, bob) = Correlated(200_000, 0.06, 3);
        var pipeline = new BlockPipeline(Reconcilers.Create(Reconcilers.Default));
        var report = pipeline.Run(alice, bob, zLength: 100_000, sampleSeed: 7);
        Assert.True(report.FramesOk >= report.FramesFailed * 4, $"ok {report.FramesOk} failed {report.FramesFailed}");
        Assert.True(report.SecretKeyBits > 0);
        Assert.Equal(report.KeyLength.KeyBits, report.SecretKeyBits);
        Assert.True(report.KeysMatch);
        Assert.InRange(report.Efficiency, 1.0, 1.5);
        Assert.True(report.ReconciliationCpuMs > 0);
    }

    [Fact]
    public void NoiseAboveTheLimitYieldsNoKeyRatherThanABadOne()
    {
        var (alice, bob) = Correlated(40_000, 0.2, 2);
        var report = new BlockPipeline(Reconcilers.Create("paper")).Run(alice, bob, 20_000, 5);
        Assert.Equal(0, report.SecretKeyBits);
    }
}
