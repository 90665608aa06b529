using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests;

/// <summary>The reconcilers' Alice and Bob halves as a message protocol over a classical channel.</summary>
public class TwoPartyReconciliationTests
{
    private static readonly Lazy<IReconciler> Adaptive = new(() => Reconcilers.Create("adaptive"));

    private static readonly Lazy<IReconciler> Paper = new(() =>
        new FixedCodeReconciler("paper-minsum", LdpcTestData.PaperCode, h => new LayeredMinSumDecoder(h)));

    public static TheoryData<string, double> Cases => new() { { "adaptive", 0.04 }, { "adaptive", 0.06 }, { "paper", 0.05 } };

    private static IReconciler Get(string name) => name == "paper" ? Paper.Value : Adaptive.Value;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Both_halves_end_with_bobs_frames_and_report_the_same_figures(string name, double qber)
    {
        var reconciler = Get(name);
        var (alice, bob) = LdpcTestData.Correlated(3 * reconciler.FrameBits + 77, qber, 41);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(bobEnd, bob, qber));
        var aliceResult = await reconciler.ReconcileAsAliceAsync(aliceEnd, alice, qber);
        var bobResult = await bobTask;

        Assert.True(aliceResult.FramesOk >= 2, $"{aliceResult.FramesOk} of 3 frames");
        Assert.Equal(aliceResult.FrameOk, bobResult.FrameOk);
        Assert.True(aliceResult.Reconciled.ContentEquals(bobResult.Reconciled), "Alice's output differs from Bob's");
        LdpcDecoderTests.OkFramesOf(bob, aliceResult);
        Assert.Equal(aliceResult.LeakBits, bobResult.LeakBits);
        Assert.Equal(aliceResult.ConfirmationBits, bobResult.ConfirmationBits);
        Assert.Equal(aliceResult.MeanIterations, bobResult.MeanIterations);
        Assert.Equal(aliceResult.Efficiency, bobResult.Efficiency);
        Assert.Equal(77, aliceResult.UnusedBits);
        Assert.Equal(77, bobResult.UnusedBits);
    }

    [Fact]
    public async Task Blind_rounds_disclose_more_bits_for_frames_that_need_them()
    {
        var reconciler = (RateAdaptiveReconciler)Adaptive.Value;
        // Near the top of the family's range at 9 % the first attempt often fails: rounds must add leak.
        var (alice, bob) = LdpcTestData.Correlated(2 * reconciler.FrameBits, 0.09, 9);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(bobEnd, bob, 0.09));
        var result = await reconciler.ReconcileAsAliceAsync(aliceEnd, alice, 0.09);
        await bobTask;
        var (code, punctured) = reconciler.ChooseCode(0.09);
        Assert.True(result.LeakBits >= 2L * (code.Matrix.Rows - punctured));
        LdpcDecoderTests.OkFramesOf(bob, result);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 1, 0, 0 })]
    [InlineData(new byte[] { 1, 9, 0, 0 })]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0x28, 0x23, 0, 0 })]
    public async Task A_malformed_message_is_refused_with_InvalidDataException(byte[] message)
    {
        var reconciler = Adaptive.Value;
        var (alice, _) = LdpcTestData.Correlated(reconciler.FrameBits, 0.03, 1);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        await bobEnd.SendAsync(message);
        await Assert.ThrowsAsync<InvalidDataException>(() => reconciler.ReconcileAsAliceAsync(aliceEnd, alice, 0.03));
    }

    [Fact]
    public async Task Syndromes_for_a_different_block_size_are_refused()
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(2 * reconciler.FrameBits, 0.03, 2);
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(bobEnd, bob, 0.03));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reconciler.ReconcileAsAliceAsync(aliceEnd, alice.Slice(0, reconciler.FrameBits), 0.03));
        Assert.Contains("frames", error.Message);
        aliceEnd.Close();
        await Assert.ThrowsAsync<IOException>(() => bobTask);
    }

    [Fact]
    public async Task A_truncated_syndromes_message_is_refused()
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(reconciler.FrameBits, 0.03, 3);
        var (tapAlice, tapBob) = InMemoryClassicalChannel.CreatePair();
        var bobTask = Task.Run(() => reconciler.ReconcileAsBobAsync(tapBob, bob, 0.03));
        var syndromes = await tapAlice.ReceiveAsync();
        var (aliceEnd, fakeBob) = InMemoryClassicalChannel.CreatePair();
        await fakeBob.SendAsync(syndromes.AsMemory(0, syndromes.Length - 5));
        await Assert.ThrowsAsync<InvalidDataException>(() => reconciler.ReconcileAsAliceAsync(aliceEnd, alice, 0.03));
        tapAlice.Close();
        await Assert.ThrowsAsync<IOException>(() => bobTask);
    }

    [Fact]
    public void Single_process_reconcile_reports_bobs_errors_not_the_closed_channel()
    {
        var reconciler = Adaptive.Value;
        var (alice, bob) = LdpcTestData.Correlated(reconciler.FrameBits, 0.03, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => reconciler.Reconcile(alice, bob, 0.7));
        Assert.Throws<ArgumentException>(() => reconciler.Reconcile(alice, bob.Slice(0, 10), 0.03));
    }
}
