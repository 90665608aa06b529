using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>The float layered sum-product for quasi-cyclic codes (long frames at low QBER) and the reconciler's use of it.</summary>
public class LdpcQuasiCyclicSumProductTests
{
    private static readonly Lazy<RateAdaptiveReconciler> Adaptive = new(() => (RateAdaptiveReconciler)Reconcilers.Create("adaptive"));

    private static (BitVector Bob, float[] Llr, ulong[] Syndrome) Frame(SparseParityCheckMatrix h, double qber, int seed)
    {
        var (alice, bob) = LdpcTestData.Correlated(h.Columns, qber, seed);
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(h.Rows)];
        h.Syndrome(bob.Words, syndrome);
        var llr = new float[h.Columns];
        ChannelLlr.FromBits(alice.Words, 0, h.Columns, ChannelLlr.Magnitude(qber), llr);
        return (bob, llr, syndrome);
    }

    private static ulong[] Decoded(IFrameBatchDecoder decoder)
    {
        var word = new ulong[SparseParityCheckMatrix.WordsFor(decoder.Matrix.Columns)];
        decoder.CopyDecoded(0, word);
        return word;
    }

    private static ulong[] WordOf(BitVector bob, int columns) => bob.Words.AsSpan(0, SparseParityCheckMatrix.WordsFor(columns)).ToArray();

    [Fact]
    public void Decodes_what_the_min_sum_decodes_at_an_easy_point_to_bobs_word()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var precise = new QuasiCyclicSumProductDecoder(code);
        var minSum = new QuasiCyclicMinSumDecoder(code, precise.Matrix, 60, 0.5f, checkUpdate: CheckUpdate.SelfCorrected);
        for (var seed = 0; seed < 8; seed++)
        {
            var (bob, llr, syndrome) = Frame(precise.Matrix, 0.03, 500 + seed);
            minSum.Load(0, llr, syndrome);
            Assert.Equal(1u, minSum.Run(1));
            precise.Load(0, llr, syndrome);
            Assert.Equal(1u, precise.Run(1));
            Assert.Equal(WordOf(bob, code.Columns), Decoded(precise));
            Assert.InRange(precise.Iterations(0), 1, precise.MaxIterations);
        }
    }

    [Fact]
    public void Matches_the_reference_double_precision_sum_product_frame_by_frame()
    {
        // Same schedule (block rows in order; the 32 checks of one are disjoint), float instead of double arithmetic.
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var precise = new QuasiCyclicSumProductDecoder(code, maxIterations: 40);
        var reference = new LayeredSumProductDecoder(precise.Matrix, 40);
        var word = new ulong[SparseParityCheckMatrix.WordsFor(code.Columns)];
        var agreed = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var (_, llr, syndrome) = Frame(precise.Matrix, 0.075, 700 + seed);
            var expected = reference.Decode(llr, syndrome, word);
            precise.Load(0, llr, syndrome);
            var converged = precise.Run(1) == 1;
            Assert.Equal(expected.Converged, converged);
            if (converged)
            {
                Assert.Equal(word, Decoded(precise));
                Assert.InRange(precise.Iterations(0), expected.Iterations - 1, expected.Iterations + 1);
                agreed++;
            }
        }
        Assert.True(agreed >= 3, $"only {agreed} of 10 frames decoded: the point does not test the decoded words");
    }

    [Fact]
    public void A_frame_far_above_threshold_is_reported_as_failed()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicSumProductDecoder(code, maxIterations: 30);
        var (_, llr, syndrome) = Frame(decoder.Matrix, 0.2, 31);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(0u, decoder.Run(1));
        Assert.Equal(30, decoder.Iterations(0));
        Assert.False(decoder.Matrix.SatisfiesSyndrome(Decoded(decoder), syndrome));
    }

    [Fact]
    public void A_reveal_moves_the_posteriors_at_once_without_a_restart()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicSumProductDecoder(code, maxIterations: 10) { ResumeIterations = 1, RestartAfterFailures = 0 };
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.2, 71);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(0u, decoder.Run(1));
        // Every column revealed: the resumed attempt (one iteration, no restart) must land on Bob's word.
        var columns = Enumerable.Range(0, code.Columns).ToArray();
        var values = new ulong[BitVector.WordCount(columns.Length)];
        for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[i >> 6] |= 1UL << (i & 63);
        decoder.Reveal(0, columns, values);
        Assert.Equal(1u, decoder.Run(1));
        Assert.Equal(1, decoder.Iterations(0));
        Assert.Equal(WordOf(bob, code.Columns), Decoded(decoder));
    }

    [Fact]
    public void Blind_rounds_resume_restart_and_end_on_bobs_word()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicSumProductDecoder(code, maxIterations: 12) { ResumeIterations = 6, RestartAfterFailures = 2 };
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.12, 61);
        decoder.Load(0, llr, syndrome);
        var failures = 0;
        var revealed = 0;
        var converged = false;
        for (var round = 0; round < 40 && !converged; round++)
        {
            converged = decoder.Run(1) == 1;
            // A restart (after two failed attempts: every other one here) runs the first-attempt limit, a resume the shorter one.
            if (!converged) Assert.Equal(round % 2 == 0 ? 12 : 6, decoder.Iterations(0));
            if (converged) break;
            failures++;
            var columns = Enumerable.Range(revealed, 200).Select(i => i * 7 % code.Columns).ToArray();
            revealed += 200;
            var values = new ulong[BitVector.WordCount(columns.Length)];
            for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[i >> 6] |= 1UL << (i & 63);
            decoder.Reveal(0, columns, values);
        }
        Assert.True(converged, "never decoded although bits kept being revealed");
        Assert.True(failures >= 3, $"only {failures} failed attempts: the restart was not exercised");
        Assert.Equal(WordOf(bob, code.Columns), Decoded(decoder));
    }

    [Fact]
    public void Wipe_leaves_no_decoded_word_and_the_next_frame_decodes_as_on_a_new_decoder()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var used = new QuasiCyclicSumProductDecoder(code, maxIterations: 30);
        var (_, llr, syndrome) = Frame(used.Matrix, 0.12, 900);
        used.Load(0, llr, syndrome);
        used.Run(1);
        used.Wipe();
        Assert.All(Decoded(used), word => Assert.Equal(0ul, word));
        Assert.True(used.HoldsNoFrameData(), "channel, posteriors, messages, syndrome or scratch survived the wipe");

        var fresh = new QuasiCyclicSumProductDecoder(code, used.Matrix, maxIterations: 30);
        for (var seed = 0; seed < 3; seed++)
        {
            var (_, nextLlr, nextSyndrome) = Frame(used.Matrix, 0.05, 910 + seed);
            used.Load(0, nextLlr, nextSyndrome);
            fresh.Load(0, nextLlr, nextSyndrome);
            Assert.Equal(fresh.Run(1), used.Run(1));
            Assert.Equal(fresh.Iterations(0), used.Iterations(0));
            Assert.Equal(Decoded(fresh), Decoded(used));
            used.Wipe();
            fresh.Wipe();
        }
    }

    [Fact]
    public void Refuses_a_lifting_size_other_than_32()
    {
        var code = QuasiCyclicDecoderTestCodes.Build(QuasiCyclicDecoderTestCodes.Small, 150, 20, 3);
        Assert.False(QuasiCyclicSumProductDecoder.Supports(code));
        Assert.Throws<ArgumentException>(() => new QuasiCyclicSumProductDecoder(code));
    }

    [Theory]
    [InlineData(0.005, true)]
    [InlineData(0.01, true)]
    [InlineData(0.02, true)]
    [InlineData(0.025, true)]
    [InlineData(0.026, false)]
    [InlineData(0.03, false)]
    [InlineData(0.06, false)]
    [InlineData(0.08, false)]
    public void The_reconciler_uses_the_precise_decoder_only_up_to_its_threshold(double qber, bool precise)
    {
        var reconciler = Adaptive.Value;
        Assert.Equal(precise, reconciler.UsesPreciseLongDecoder(qber));
        // Above the threshold the long schedule (start, step) is the min-sum's, unchanged.
        var expected = precise ? Interpolated(RateAdaptiveReconciler.DefaultPreciseLongSchedule, qber) : Interpolated(RateAdaptiveReconciler.DefaultLongSchedule, qber);
        var (start, step) = reconciler.LongScheduleAt(qber);
        Assert.Equal(expected.Start, start, 12);
        Assert.Equal(expected.Step, step, 12);
        Assert.False(((RateAdaptiveReconciler)Reconcilers.Create("adaptive-fast")).UsesPreciseLongDecoder(qber));
    }

    private static (double Start, double Step) Interpolated(IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> points, double qber)
    {
        var q = Math.Max(qber, 0.01);
        if (q <= points[0].Qber) return (points[0].StartEfficiency, points[0].RevealStep);
        for (var i = 1; i < points.Count; i++)
        {
            if (q > points[i].Qber) continue;
            var t = (q - points[i - 1].Qber) / (points[i].Qber - points[i - 1].Qber);
            return (points[i - 1].StartEfficiency + t * (points[i].StartEfficiency - points[i - 1].StartEfficiency),
                points[i - 1].RevealStep + t * (points[i].RevealStep - points[i - 1].RevealStep));
        }
        return (points[^1].StartEfficiency, points[^1].RevealStep);
    }

    [Theory]
    [InlineData(0.01, 0.85, 0.85)]
    [InlineData(0.0102, 0.85, 0.85)]
    [InlineData(0.0125, 0.80, 0.85)]
    [InlineData(0.015, 0.80, 0.85)]
    [InlineData(0.0175, 0.80, 0.85)]
    [InlineData(0.02, 0.85, 0.85)]
    public void Below_1_9_percent_the_precise_decoder_takes_the_rate_0_8_code_where_it_holds_the_rate_at_most_90_percent_punctured(double qber, double precise, double minSum)
    {
        var withPrecise = Adaptive.Value;
        var (code, punctured) = withPrecise.LongCodeAt(qber);
        Assert.Equal(precise, code.Matrix.DesignRate, 2);
        var rate = 1 - withPrecise.LongScheduleAt(qber).StartEfficiency * FiniteKey.Entropy.Binary(qber);
        Assert.InRange(rate, code.MinRate, code.MaxRate);
        Assert.Equal(code.PuncturedFor(rate), punctured);
        // Never the rate-0.8 code nearly fully punctured (at 1.02 % it would hold the rate with about 99 % punctured).
        if (code.Matrix.DesignRate < 0.81) Assert.True(punctured <= RateAdaptiveReconciler.PrecisePuncturedMaxShare * code.ModulationBits);
        // The min-sum's rule at the same start rate: the least punctured code up to rate 0.86.
        var (minSumCode, _) = RateAdaptiveReconciler.ChooseLongCode(withPrecise.LongCodes, qber, withPrecise.LongScheduleAt(qber).StartEfficiency);
        Assert.Equal(minSum, minSumCode.Matrix.DesignRate, 2);
    }

    [Fact]
    public void A_custom_decoder_factory_or_a_negative_threshold_keeps_the_min_sum()
    {
        var custom = new RateAdaptiveReconciler(Adaptive.Value.Codes, h => new LayeredMinSumDecoder(h), longCodes: Adaptive.Value.LongCodes);
        Assert.False(custom.UsesPreciseLongDecoder(0.01));
        var off = new RateAdaptiveReconciler(Adaptive.Value.Codes, longCodes: Adaptive.Value.LongCodes) { PreciseDecoderMaxQber = -1 };
        Assert.False(off.UsesPreciseLongDecoder(0.01));
        Assert.Equal(RateAdaptiveReconciler.DefaultLongSchedule[0].StartEfficiency, off.LongScheduleAt(0.01).StartEfficiency);
    }

    [Fact]
    public void Keys_match_end_to_end_at_1_percent_with_the_precise_decoder()
    {
        // A reconciler of its own: the pools show which protocol decoded the block.
        var reconciler = (RateAdaptiveReconciler)Reconcilers.Create("adaptive");
        Assert.True(reconciler.UsesPreciseLongDecoder(0.01));
        var (alice, bob) = LdpcTestData.Correlated(2 * reconciler.LongFrameBits, 0.01, 4242);
        var result = reconciler.Reconcile(alice, bob, 0.01);
        Assert.NotEqual(0, reconciler.LongProtocols.Precise!.PooledDecoderCount);
        Assert.Equal(0, reconciler.LongProtocols.MinSum!.PooledDecoderCount);
        Assert.Equal(2, result.FrameOk.Length);
        Assert.All(result.FrameOk, Assert.True);
        Assert.Equal(0, result.HashMismatches);
        Assert.Equal(bob.Length, result.Reconciled.Length);
        Assert.True(result.Reconciled.Words.AsSpan().SequenceEqual(bob.Words), "Alice's corrected key differs from Bob's");
        Assert.InRange(result.Efficiency, 1.0, 1.3);
    }
}
