using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests;

/// <summary>The shipped "adaptive" scheme: long quasi-cyclic frames for the bulk of a block, short frames for the rest.</summary>
public class MixedLengthReconciliationTests
{
    private static readonly Lazy<RateAdaptiveReconciler> Adaptive = new(() => (RateAdaptiveReconciler)Reconcilers.Create("adaptive"));

    /// <summary>Bob's bits of the frames the result confirms, frame f starting where frames 0..f-1 end.</summary>
    private static BitVector ConfirmedFramesOf(BitVector bob, ReconciliationResult result, int[] lengths)
    {
        var expected = new BitVector(Enumerable.Range(0, lengths.Length).Where(f => result.FrameOk[f]).Sum(f => lengths[f]));
        int from = 0, to = 0;
        for (var f = 0; f < lengths.Length; f++)
        {
            if (result.FrameOk[f])
            {
                bob.CopyTo(from, expected, to, lengths[f]);
                to += lengths[f];
            }
            from += lengths[f];
        }
        return expected;
    }

    [Fact]
    public void Adaptive_loads_both_families_long_frames_of_90000_bits()
    {
        var reconciler = Adaptive.Value;
        Assert.Equal(9, reconciler.LongCodes.Count);
        Assert.Equal(9, reconciler.Codes.Count);
        Assert.All(reconciler.LongCodes, c => Assert.NotNull(c.QuasiCyclic));
        // Rates 0.75, 0.8 and 0.85 have n = 102 400 (12 400 modulation bits), the others n = 100 000 (10 000).
        Assert.All(reconciler.LongCodes, c => Assert.Equal(c.Matrix.DesignRate is > 0.74 and < 0.86 ? 102_400 : 100_000, c.Matrix.Columns));
        Assert.All(reconciler.LongCodes, c => Assert.Equal(c.Matrix.Columns - 90_000, c.ModulationBits));
        Assert.Equal(90_000, reconciler.LongFrameBits);
        Assert.Equal(9_000, reconciler.FrameBits);
        Assert.Equal(180_000, reconciler.LongPart(2 * 90_000 + 89_999));
        Assert.Equal(0, reconciler.LongPart(89_999));
    }

    [Fact]
    public async Task A_mixed_block_ends_with_bobs_frames_on_both_sides()
    {
        var reconciler = Adaptive.Value;
        const double qber = 0.04;
        var (alice, bob) = LdpcTestData.Correlated(2 * reconciler.LongFrameBits + 2 * reconciler.FrameBits + 77, qber, 17);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(bobEnd, bob, qber));
        var aliceResult = await reconciler.ReconcileAsAliceAsync(aliceEnd, alice, qber);
        var bobResult = await bobTask;

        int[] lengths = [90_000, 90_000, 9_000, 9_000];
        Assert.Equal(lengths, aliceResult.FrameLengths);
        Assert.Equal(lengths, bobResult.FrameLengths);
        Assert.Equal(aliceResult.FrameOk, bobResult.FrameOk);
        Assert.True(aliceResult.FrameOk[0] && aliceResult.FrameOk[1], "both long frames should decode at 4 %");
        Assert.True(aliceResult.FramesOk >= 3, $"{aliceResult.FramesOk} of 4 frames");
        var expected = ConfirmedFramesOf(bob, aliceResult, lengths);
        Assert.True(expected.ContentEquals(aliceResult.Reconciled), "Alice's output differs from Bob's confirmed frames");
        Assert.True(expected.ContentEquals(bobResult.Reconciled), "Bob's output differs from his confirmed frames");
        Assert.True(expected.ContentEquals(bobResult.ConfirmedOf(bob)));
        Assert.Equal(aliceResult.LeakBits, bobResult.LeakBits);
        Assert.Equal(aliceResult.Efficiency, bobResult.Efficiency);
        Assert.Equal(77, aliceResult.UnusedBits);
        Assert.Equal(4 * 64, aliceResult.ConfirmationBits);
        Assert.InRange(aliceResult.Efficiency, 1.0, 1.5);
    }

    [Fact]
    public void Single_process_reconcile_of_a_mixed_block_outputs_bobs_frames()
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(reconciler.LongFrameBits + reconciler.FrameBits + 5, 0.05, 23);
        var result = reconciler.Reconcile(alice, bob, 0.05);
        Assert.Equal([90_000, 9_000], result.FrameLengths!);
        Assert.True(result.FrameOk[0], "the long frame should decode at 5 %");
        Assert.True(ConfirmedFramesOf(bob, result, [90_000, 9_000]).ContentEquals(result.Reconciled));
        Assert.Equal(5, result.UnusedBits);
    }

    [Fact]
    public async Task Long_frame_syndromes_sent_to_a_short_family_alice_are_refused()
    {
        var reconciler = Adaptive.Value;
        var shortOnly = new RateAdaptiveReconciler(reconciler.Codes);
        var (alice, bob) = LdpcTestData.Correlated(reconciler.LongFrameBits, 0.03, 5);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(bobEnd, bob, 0.03));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => shortOnly.ReconcileAsAliceAsync(aliceEnd, alice, 0.03));
        Assert.Contains("family", error.Message);
        aliceEnd.Close();
        await Assert.ThrowsAsync<IOException>(() => bobTask);
    }

    [Fact]
    public async Task A_block_planned_for_the_precise_decoder_is_refused_by_an_alice_set_up_for_min_sum()
    {
        // Bob runs "adaptive" (sum-product starts at 1 %), Alice "adaptive-fast" (min-sum everywhere): the start points
        // differ per decoder, so Alice must say so instead of decoding a block planned for another decoder.
        var bobReconciler = Adaptive.Value;
        Assert.True(bobReconciler.UsesPreciseLongDecoder(0.01));
        var aliceReconciler = (RateAdaptiveReconciler)Reconcilers.Create("adaptive-fast");
        var (alice, bob) = LdpcTestData.Correlated(bobReconciler.LongFrameBits, 0.01, 8);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => bobReconciler.ReconcileAsBobAsync(bobEnd, bob, 0.01));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => aliceReconciler.ReconcileAsAliceAsync(aliceEnd, alice, 0.01));
        Assert.Contains("sum-product", error.Message);
        Assert.Contains("min-sum", error.Message);
        aliceEnd.Close();
        await Assert.ThrowsAsync<IOException>(() => bobTask);
    }

    [Theory]
    [InlineData(2, 7, "code family")]  // family field out of range
    [InlineData(0, 1, "version")]      // a version-1 message (no family field)
    public async Task A_corrupted_syndromes_message_is_refused(int offset, byte value, string expected)
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(reconciler.LongFrameBits, 0.03, 6);
        var (tapAlice, tapBob) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(tapBob, bob, 0.03));
        var syndromes = await tapAlice.ReceiveAsync();
        syndromes[offset] = value;
        var (aliceEnd, fakeBob) = InMemoryClassicalChannel.CreatePair();
        await fakeBob.SendAsync(syndromes);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reconciler.ReconcileAsAliceAsync(aliceEnd, alice, 0.03));
        Assert.Contains(expected, error.Message);
        tapAlice.Close();
        await Assert.ThrowsAsync<IOException>(() => bobTask);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.02)]
    [InlineData(0.03)]
    [InlineData(0.04)]
    [InlineData(0.05)]
    [InlineData(0.07)]
    public void Long_frames_use_the_least_punctured_strong_code_holding_the_start_rate(double qber)
    {
        var codes = Adaptive.Value.LongCodes;
        var rate = 1 - Adaptive.Value.LongScheduleAt(qber).StartEfficiency * FiniteKey.Entropy.Binary(qber);
        var (code, punctured) = Adaptive.Value.LongCodeAt(qber);
        Assert.InRange(rate, code.MinRate, code.MaxRate);
        Assert.Equal(code.PuncturedFor(rate), punctured);
        var holding = codes.Where(c => rate >= c.MinRate && rate <= c.MaxRate).ToArray();
        var strong = holding.Where(c => c.Matrix.DesignRate <= RateAdaptiveReconciler.StrongLongCodeMaxRate).ToArray();
        if (strong.Length > 0)
        {
            Assert.Same(strong.MaxBy(c => c.Matrix.DesignRate), code);
            Assert.All(strong, c => Assert.True(c.PuncturedFor(rate) >= punctured, "a strong code holding the rate with fewer punctured bits"));
        }
        else
        {
            Assert.Same(holding.MinBy(c => c.Matrix.DesignRate), code);
        }
    }

    [Theory]
    [InlineData(0.01, 0.85)]
    [InlineData(0.02, 0.85)]
    [InlineData(0.03, 0.80)]
    [InlineData(0.04, 0.75)]
    [InlineData(0.06, 0.65)]
    public void Long_frames_at_low_qber_use_a_mostly_shortened_code_below_the_weak_rate_0_9_one(double qber, double expectedRate)
    {
        // At 1 % the start rate (about 0.90) is reached by the rate-0.85 code punctured, never by the rate-0.9 code shortened;
        // at 2-4 % a code above the start rate is nearly fully shortened (12 400 modulation bits on rates 0.75-0.85).
        var reconciler = Adaptive.Value;
        var (code, _) = RateAdaptiveReconciler.ChooseLongCode(reconciler.LongCodes, qber, reconciler.LongScheduleAt(qber).StartEfficiency);
        Assert.Equal(expectedRate, code.Matrix.DesignRate, 2);
    }

    [Theory]
    [InlineData(0.045, 0.7)]
    [InlineData(0.05, 0.7)]
    [InlineData(0.06, 0.65)]
    [InlineData(0.07, 0.6)]
    [InlineData(0.08, 0.55)]
    public void At_4_5_to_8_percent_long_frames_use_the_code_holding_the_start_rate_with_the_fewest_punctured_bits(double qber, double expectedRate)
    {
        var codes = Adaptive.Value.LongCodes;
        var rate = 1 - Adaptive.Value.LongScheduleAt(qber).StartEfficiency * FiniteKey.Entropy.Binary(qber);
        var (code, punctured) = Adaptive.Value.LongCodeAt(qber);
        Assert.Equal(expectedRate, code.Matrix.DesignRate, 2);
        Assert.InRange(rate, code.MinRate, code.MaxRate);
        Assert.Equal(code.PuncturedFor(rate), punctured);
        foreach (var higher in codes.Where(c => c.MaxRate > code.MaxRate))
            Assert.False(rate >= higher.MinRate && rate <= higher.MaxRate, $"the rate-{higher.Matrix.DesignRate:F2} code also holds {rate:F3}");
    }

    [Fact]
    public void Adaptive_fast_starts_every_qber_at_least_as_high_as_adaptive()
    {
        Assert.Contains("adaptive-fast", Reconcilers.Names);
        var fast = (RateAdaptiveReconciler)Reconcilers.Create("adaptive-fast");
        Assert.Equal("adaptive-fast", fast.Name);
        Assert.Equal(90_000, fast.LongFrameBits);
        foreach (var qber in new[] { 0.01, 0.025, 0.05, 0.06, 0.08 })
            Assert.True(fast.LongScheduleAt(qber).StartEfficiency >= Adaptive.Value.LongScheduleAt(qber).StartEfficiency, $"QBER {qber}");
    }

    [Fact]
    public void Long_schedule_is_interpolated_in_qber_and_held_at_the_ends()
    {
        var reconciler = new RateAdaptiveReconciler(Adaptive.Value.Codes)
        {
            LongSchedule = [(0.02, 1.10, 0.02), (0.06, 1.06, 0.01)],
        };
        Assert.Equal((1.10, 0.02), reconciler.LongScheduleAt(0.01));
        var (f, step) = reconciler.LongScheduleAt(0.04);
        Assert.Equal(1.08, f, 9);
        Assert.Equal(0.015, step, 9);
        Assert.Equal((1.06, 0.01), reconciler.LongScheduleAt(0.2));
    }
}
