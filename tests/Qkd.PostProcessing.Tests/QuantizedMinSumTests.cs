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
}
