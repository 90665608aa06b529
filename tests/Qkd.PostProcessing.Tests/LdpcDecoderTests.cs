using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

public class LdpcDecoderTests
{
    private static ReconciliationResult PaperSpa(double qber, int frames, int seed)
    {
        var code = LdpcTestData.PaperCode;
        var reconciler = new FixedCodeReconciler("paper", code, h => new LayeredSumProductDecoder(h, 100));
        var (alice, bob) = LdpcTestData.Correlated(frames * code.Columns, qber, seed);
        var result = reconciler.Reconcile(alice, bob, qber);
        Assert.Equal(bob.Slice(0, result.FramesOk * code.Columns).Words, OkFramesOf(bob, result).Words);
        return result;
    }

    /// <summary>Bob's frames that the result says were reconciled, concatenated: what the output must equal.</summary>
    internal static BitVector OkFramesOf(BitVector bob, ReconciliationResult result)
    {
        var expected = new BitVector(result.FramesOk * result.FrameBits);
        var at = 0;
        for (var f = 0; f < result.FrameOk.Length; f++)
        {
            if (!result.FrameOk[f]) continue;
            bob.CopyTo(f * result.FrameBits, expected, at, result.FrameBits);
            at += result.FrameBits;
        }
        Assert.True(expected.ContentEquals(result.Reconciled), "reconciled frames differ from Bob's");
        return expected;
    }

    [Fact]
    public void Paper_code_with_layered_spa_decodes_200_frames_at_5_percent()
    {
        var result = PaperSpa(0.05, 200, seed: 5);
        Assert.Equal(200, result.FrameOk.Length);
        Assert.Equal(0, result.FramesFailed);
        Assert.Equal(200L * 5000, result.LeakBits);
        Assert.Equal(0.5 / 0.2864, result.Efficiency, 2);
    }

    [Fact]
    public void Paper_code_with_layered_spa_has_fer_below_one_percent_at_8_percent()
    {
        var result = PaperSpa(0.08, 200, seed: 8);
        Assert.True(result.FramesFailed < 2, $"{result.FramesFailed} of 200 frames failed at 8 % QBER");
        Assert.InRange(result.MeanIterations, 2, 60);
    }

    [Fact]
    public void Min_sum_and_spa_agree_on_easy_frames()
    {
        var code = LdpcTestData.PaperCode;
        var spa = new LayeredSumProductDecoder(code);
        var minSum = new LayeredMinSumDecoder(code);
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
        var llr = new float[code.Columns];
        var fromSpa = new ulong[SparseParityCheckMatrix.WordsFor(code.Columns)];
        var fromMinSum = new ulong[fromSpa.Length];
        for (var frame = 0; frame < 6; frame++)
        {
            var (alice, bob) = LdpcTestData.Correlated(code.Columns, 0.03, 100 + frame);
            code.Syndrome(bob.Words, syndrome);
            ChannelLlr.FromBits(alice.Words, 0, code.Columns, ChannelLlr.Magnitude(0.03), llr);
            Assert.True(spa.Decode(llr, syndrome, fromSpa).Converged);
            Assert.True(minSum.Decode(llr, syndrome, fromMinSum).Converged);
            Assert.Equal(bob.Words, fromSpa);
            Assert.Equal(fromSpa, fromMinSum);
        }
    }

    [Fact]
    public void Frames_beyond_the_threshold_are_reported_failed_and_not_output()
    {
        var code = LdpcTestData.PaperCode;
        var reconciler = new FixedCodeReconciler("paper", code, h => new LayeredMinSumDecoder(h, 15));
        var (alice, bob) = LdpcTestData.Correlated(4 * code.Columns + 123, 0.15, 3);
        var result = reconciler.Reconcile(alice, bob, 0.15);
        Assert.Equal(4, result.FramesFailed);
        Assert.Equal(0, result.FramesOk);
        Assert.Equal(0, result.Reconciled.Length);
        Assert.Equal(123, result.UnusedBits);
        Assert.Equal(4L * code.Rows, result.LeakBits);
    }

    [Fact]
    public void A_decoder_that_claims_success_on_a_wrong_word_is_caught_by_confirmation()
    {
        var code = LdpcTestData.PaperCode;
        var reconciler = new FixedCodeReconciler("liar", code, h => new ClaimsSuccessDecoder(h));
        var (alice, bob) = LdpcTestData.Correlated(3 * code.Columns, 0.02, 4);
        var result = reconciler.Reconcile(alice, bob, 0.02);
        Assert.Equal(3, result.FramesFailed);
        Assert.Equal(3, result.HashMismatches);
        Assert.Equal(0, result.Reconciled.Length);
    }

    /// <summary>Returns Alice's hard decision unchanged and says it converged: a wrong word marked as good.</summary>
    private sealed class ClaimsSuccessDecoder(SparseParityCheckMatrix matrix) : ISyndromeDecoder
    {
        public SparseParityCheckMatrix Matrix { get; } = matrix;

        public int MaxIterations { get; set; } = 1;

        public DecodeResult Decode(ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded)
        {
            decoded.Clear();
            for (var v = 0; v < Matrix.Columns; v++)
            {
                if (channelLlr[v] < 0) decoded[v >> 6] |= 1UL << (v & 63);
            }
            return new DecodeResult(true, 1);
        }

        public DecodeResult Continue(ReadOnlySpan<float> channelLlr, ReadOnlySpan<int> changedColumns, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded) =>
            Decode(channelLlr, syndrome, decoded);

        public void Wipe()
        {
        }
    }
}
