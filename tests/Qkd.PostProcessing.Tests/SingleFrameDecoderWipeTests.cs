using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>
/// The float single-frame decoders (the paper's sum-product, min-sum) and their batch adapter are wiped before a
/// decoder is kept for the next block: nothing of the last frame (Alice's LLRs, the corrected word) may remain.
/// </summary>
public class SingleFrameDecoderWipeTests
{
    private const double Qber = 0.04;

    public static TheoryData<string> Decoders => new() { "sum-product", "min-sum" };

    private static ISyndromeDecoder Create(string name, SparseParityCheckMatrix code) => name switch
    {
        "sum-product" => new LayeredSumProductDecoder(code, 60),
        _ => new LayeredMinSumDecoder(code, 60),
    };

    private static (float[] Llr, ulong[] Syndrome, ulong[] Bob) Frame(SparseParityCheckMatrix code, int seed)
    {
        var (alice, bob) = LdpcTestData.Correlated(code.Columns, Qber, seed);
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
        code.Syndrome(bob.Words, syndrome);
        var llr = new float[code.Columns];
        ChannelLlr.FromBits(alice.Words, 0, code.Columns, ChannelLlr.Magnitude(Qber), llr);
        return (llr, syndrome, bob.Words.ToArray());
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Wipe_leaves_no_posterior_of_the_last_frame(string name)
    {
        var code = LdpcTestData.PaperCode;
        var decoder = Create(name, code);
        var (llr, syndrome, bob) = Frame(code, 11);
        var decoded = new ulong[SparseParityCheckMatrix.WordsFor(code.Columns)];
        Assert.True(decoder.Decode(llr, syndrome, decoded).Converged);
        Assert.Equal(bob, decoded);

        decoder.Wipe();
        // Resuming from the kept state with no channel and no syndrome shows what the decoder still holds:
        // unwiped, one pass returns Bob's word; wiped, every posterior is 0 and the hard decision is all zeros.
        decoder.MaxIterations = 1;
        // Every column "changed" to LLR 0, so an unwiped channel would leave its values in the posteriors.
        decoder.Continue(new float[code.Columns], Enumerable.Range(0, code.Columns).ToArray(), new ulong[syndrome.Length], decoded);
        Assert.All(decoded, word => Assert.Equal(0ul, word));
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void A_wiped_decoder_decodes_the_next_frame_like_a_new_one(string name)
    {
        var code = LdpcTestData.PaperCode;
        var used = Create(name, code);
        var decoded = new ulong[SparseParityCheckMatrix.WordsFor(code.Columns)];
        var (llr, syndrome, _) = Frame(code, 21);
        used.Decode(llr, syndrome, decoded);
        used.Wipe();

        var (nextLlr, nextSyndrome, _) = Frame(code, 22);
        var expected = new ulong[decoded.Length];
        var fresh = Create(name, code).Decode(nextLlr, nextSyndrome, expected);
        Assert.Equal(fresh, used.Decode(nextLlr, nextSyndrome, decoded));
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void The_adapter_wipes_its_copies_and_its_decoders()
    {
        var code = LdpcTestData.PaperCode;
        var adapter = new PerFrameBatchDecoder(code, m => new LayeredSumProductDecoder(m, 60), lanes: 2);
        for (var lane = 0; lane < 2; lane++)
        {
            var (llr, syndrome, _) = Frame(code, 31 + lane);
            adapter.Load(lane, llr, syndrome);
        }
        Assert.Equal(0b11u, adapter.Run(0b11));

        adapter.Wipe();
        var decoded = new ulong[SparseParityCheckMatrix.WordsFor(code.Columns)];
        for (var lane = 0; lane < 2; lane++)
        {
            adapter.CopyDecoded(lane, decoded);
            Assert.All(decoded, word => Assert.Equal(0ul, word));
        }
        // A blind round's resume after the wipe starts from nothing: no LLRs, no syndrome, no posteriors.
        Assert.Equal(0b11u, adapter.Run(0b11));
        for (var lane = 0; lane < 2; lane++)
        {
            adapter.CopyDecoded(lane, decoded);
            Assert.All(decoded, word => Assert.Equal(0ul, word));
        }
    }

    [Fact]
    public void Reconciliation_leaves_no_frame_in_its_pooled_scratch_buffers()
    {
        var code = LdpcTestData.PaperCode;
        var reconciler = new FixedCodeReconciler("paper", code, h => new LayeredMinSumDecoder(h, 40));
        var (alice, bob) = LdpcTestData.Correlated(4 * code.Columns, Qber, 41);
        var result = reconciler.Reconcile(alice, bob, Qber);
        Assert.Contains(true, result.FrameOk);
        Assert.NotEqual(0, reconciler.Protocol.PooledScratchCount);
        Assert.True(reconciler.Protocol.PooledScratchIsClear());
    }
}
