using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Tests;

/// <summary>The 32-frame AVX2 8-bit min-sum decoder against Bob's words.</summary>
public class QuantizedMinSumTests
{
    [SkippableTheory]
    [InlineData(0.03, 32, 32)]
    [InlineData(0.08, 32, 31)]
    [InlineData(0.05, 5, 5)]
    public void Decodes_each_lane_to_bobs_word(double qber, int lanes, int atLeast)
    {
        Skip.IfNot(QuantizedMinSumBatchDecoder.IsSupported, "needs AVX2");
        var code = LdpcTestData.PaperCode;
        var decoder = new QuantizedMinSumBatchDecoder(code, 60);
        var words = SparseParityCheckMatrix.WordsFor(code.Columns);
        var bobs = new BitVector[lanes];
        var llr = new float[code.Columns];
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
        uint mask = 0;
        for (var lane = 0; lane < lanes; lane++)
        {
            var (alice, bob) = LdpcTestData.Correlated(code.Columns, qber, 100 + lane);
            bobs[lane] = bob;
            code.Syndrome(bob.Words, syndrome);
            ChannelLlr.FromBits(alice.Words, 0, code.Columns, ChannelLlr.Magnitude(qber), llr);
            decoder.Load(lane, llr, syndrome);
            mask |= 1u << lane;
        }
        var converged = decoder.Run(mask);
        var decoded = new ulong[words];
        var ok = 0;
        for (var lane = 0; lane < lanes; lane++)
        {
            if ((converged & (1u << lane)) == 0) continue;
            decoder.CopyDecoded(lane, decoded);
            Assert.Equal(bobs[lane].Words.AsSpan(0, words).ToArray(), decoded);
            Assert.InRange(decoder.Iterations(lane), 1, 60);
            ok++;
        }
        Assert.True(ok >= atLeast, $"{ok} of {lanes} lanes decoded at QBER {qber}");
        Assert.Equal(0u, converged & ~mask);
    }

    [SkippableFact]
    public void Wipe_leaves_no_decoded_word_and_the_next_frames_decode_as_on_a_new_decoder()
    {
        Skip.IfNot(QuantizedMinSumBatchDecoder.IsSupported, "needs AVX2");
        var code = LdpcTestData.PaperCode;
        var used = new QuantizedMinSumBatchDecoder(code, 60);
        var words = SparseParityCheckMatrix.WordsFor(code.Columns);
        var llr = new float[code.Columns];
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
        void LoadFrame(QuantizedMinSumBatchDecoder decoder, int lane, int seed)
        {
            var (alice, bob) = LdpcTestData.Correlated(code.Columns, 0.05, seed);
            code.Syndrome(bob.Words, syndrome);
            ChannelLlr.FromBits(alice.Words, 0, code.Columns, ChannelLlr.Magnitude(0.05), llr);
            decoder.Load(lane, llr, syndrome);
        }
        for (var lane = 0; lane < 4; lane++) LoadFrame(used, lane, 300 + lane);
        Assert.NotEqual(0u, used.Run(0b1111));
        used.Wipe();
        var decoded = new ulong[words];
        for (var lane = 0; lane < 4; lane++)
        {
            used.CopyDecoded(lane, decoded);
            Assert.All(decoded, word => Assert.Equal(0ul, word));
        }

        var fresh = new QuantizedMinSumBatchDecoder(code, 60);
        for (var lane = 0; lane < 2; lane++)
        {
            LoadFrame(used, lane, 400 + lane);
            LoadFrame(fresh, lane, 400 + lane);
        }
        Assert.Equal(fresh.Run(0b11), used.Run(0b11));
        var expected = new ulong[words];
        for (var lane = 0; lane < 2; lane++)
        {
            Assert.Equal(fresh.Iterations(lane), used.Iterations(lane));
            fresh.CopyDecoded(lane, expected);
            used.CopyDecoded(lane, decoded);
            Assert.Equal(expected, decoded);
        }
    }
}
