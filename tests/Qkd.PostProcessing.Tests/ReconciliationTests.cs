using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

public class ReconciliationTests
{
    private static readonly Lazy<RateAdaptiveReconciler> Adaptive = new(() =>
        (RateAdaptiveReconciler)Reconcilers.Create("adaptive", Reconcilers.FindCodesDirectory()));

    [Theory]
    [InlineData(0.04)]
    [InlineData(0.05)]
    [InlineData(0.08)]
    public void Adaptive_reconciliation_outputs_exactly_bobs_confirmed_frames(double qber)
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(4 * reconciler.FrameBits, qber, (int)(qber * 1000));
        var result = reconciler.Reconcile(alice, bob, qber);
        LdpcDecoderTests.OkFramesOf(bob, result);
        // Measured frame error rates: docs/benchmarks/reconciliation.md (at 1-3 % the high-rate codes still fail often).
        Assert.True(result.FramesOk >= 2, $"only {result.FramesOk} of 4 frames at QBER {qber}");
        // Below 6 % a higher rate fits: adaptation must disclose less per key bit than the paper's fixed rate 0.5.
        var fixedRateEfficiency = 0.5 / FiniteKey.Entropy.Binary(qber);
        if (qber < 0.06) Assert.True(result.Efficiency < fixedRateEfficiency, $"f = {result.Efficiency}");
        Assert.InRange(result.Efficiency, 1.0, 1.6);
    }

    [Fact]
    public void A_block_with_no_errors_and_a_minimal_estimate_reconciles_every_frame()
    {
        // A quiet link estimates QBER 0, which the pipelines pass on clamped to their small decoder minimum:
        // planning must not aim past every code's rate (it once failed every frame).
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(4 * reconciler.FrameBits, 0.0, 3);
        var result = reconciler.Reconcile(alice, bob, new Pipeline.PipelineOptions().MinimumDecoderQber);
        LdpcDecoderTests.OkFramesOf(bob, result);
        Assert.Equal(4, result.FramesOk);
        Assert.True(result.LeakBits < 4 * reconciler.FrameBits * 0.2, $"leak {result.LeakBits} bits");
    }

    [Fact]
    public void Rate_choice_follows_the_qber()
    {
        var reconciler = Adaptive.Value;
        var low = reconciler.ChooseCode(0.01);
        var high = reconciler.ChooseCode(0.08);
        Assert.True(low.Code.Matrix.DesignRate > high.Code.Matrix.DesignRate);
        Assert.All(reconciler.Codes, c => Assert.Equal(9000, c.FrameBits));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.03)]
    [InlineData(0.05)]
    [InlineData(0.07)]
    public void Chosen_code_holds_the_target_rate_nearest_its_balanced_point(double qber)
    {
        var reconciler = Adaptive.Value;
        var rate = 1 - reconciler.StartEfficiency * FiniteKey.Entropy.Binary(qber);
        var (code, punctured) = reconciler.ChooseCode(qber);
        Assert.InRange(rate, code.MinRate, code.MaxRate);
        Assert.Equal(code.PuncturedFor(rate), punctured);
        // Neighbouring mother codes overlap in rate; neither end of a code's range works well at n = 10^4.
        var holders = reconciler.Codes.Where(c => rate >= c.MinRate && rate <= c.MaxRate).ToList();
        Assert.True(holders.Count >= 2, "family ranges should overlap");
        static double Centre(MotherCode c) => (c.MinRate + c.MaxRate) / 2;
        foreach (var other in holders)
            Assert.True(Math.Abs(rate - Centre(code)) <= Math.Abs(rate - Centre(other)), $"code of rate {other.Matrix.DesignRate} is centred nearer");
    }

    [Fact]
    public void Mother_code_rate_range_matches_puncturing_and_shortening()
    {
        var code = Adaptive.Value.Codes[0];
        // N = 10^4, m = 5000, d = 1000: R from (N - m - d)/(N - d) = 4/9 to (N - m)/(N - d) = 5/9.
        Assert.Equal(4000.0 / 9000, code.MinRate, 9);
        Assert.Equal(5000.0 / 9000, code.MaxRate, 9);
        Assert.Equal(1000, code.PuncturedFor(5000.0 / 9000));
        Assert.Equal(0, code.PuncturedFor(4000.0 / 9000));
        Assert.Equal(code.ModulationBits, code.ModulationPositions.Distinct().Count());
    }

    [Fact]
    public void Registry_knows_paper_and_adaptive_and_refuses_others()
    {
        Assert.Contains("paper", Reconcilers.Names);
        Assert.Equal("adaptive", Reconcilers.Default);
        Assert.Throws<ArgumentException>(() => Reconcilers.Create("nope", Reconcilers.FindCodesDirectory()));
        Assert.Equal(10000, Reconcilers.Create("paper").FrameBits);
    }

    [Fact]
    public void Mismatched_lengths_and_absurd_qber_are_refused()
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(reconciler.FrameBits, 0.03, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => reconciler.Reconcile(alice, bob, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => reconciler.Reconcile(alice, bob, 0));
        Assert.Throws<ArgumentException>(() => reconciler.Reconcile(alice, bob.Slice(0, 100), 0.03));
    }
}
