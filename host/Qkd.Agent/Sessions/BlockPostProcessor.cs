using Qkd.PostProcessing.Authentication;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.Sessions;

/// <summary>One block after the two-party protocol: the figures blocks.jsonl records and each side's key.</summary>
public sealed class BlockOutcome
{
    public required uint BlockId { get; init; }
    public required int Pulses { get; init; }
    public required int Detections { get; init; }
    public required int DoubleClicks { get; init; }
    public required int SiftedBits { get; init; }
    public required int SampleBits { get; init; }
    public required double Qber { get; init; }
    public required int RawKeyBits { get; init; }
    public required int ReconciledBits { get; init; }
    public required BitVector AliceKey { get; init; }
    public required BitVector BobKey { get; init; }
    public long SecretKeyBits => AliceKey.Length;
    public bool KeysMatch => AliceKey.ContentEquals(BobKey);
}

/// <summary>
/// Post-processes each block with the same protocol `qkd postprocess` runs between two machines, here
/// between two tasks: Alice's half (her code at each detected pulse) into <see cref="AlicePostProcessor"/>,
/// Bob's half (bases, detector codes) into <see cref="BobPostProcessor"/>, over an in-memory channel pair
/// wrapped in <see cref="AuthenticatedChannel"/>. The authentication key is a CSPRNG secret drawn here,
/// held in memory only; the protocol replenishes it from generated key. A block the protocol refuses
/// (QBER too high, too few bits, no key) yields no key; its journal line has the counts only.
/// </summary>
public sealed class BlockPostProcessor : IDisposable
{
    /// <summary>Pre-shared secret for the session: enough for many blocks that yield no key (each costs a few hundred bits).</summary>
    public const int SecretBytes = 1 << 16;

    private readonly InMemoryClassicalChannel _aliceLink;
    private readonly InMemoryClassicalChannel _bobLink;
    private readonly AlicePostProcessor _alice;
    private readonly BobPostProcessor _bob;
    private bool _helloDone;
    private bool _broken;

    /// <param name="aliceReconciler">Alice's reconciler; <paramref name="bobReconciler"/> a separate instance of the same one (the halves run concurrently).</param>
    public BlockPostProcessor(IReconciler aliceReconciler, IReconciler bobReconciler, TwoPartyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(SecretBytes);
        AuthenticationKeys aliceKeys = AuthenticationKeys.FromSharedSecret(secret), bobKeys = AuthenticationKeys.FromSharedSecret(secret);
        Array.Clear(secret);
        (_aliceLink, _bobLink) = InMemoryClassicalChannel.CreatePair();
        _alice = new AlicePostProcessor(new AuthenticatedChannel(_aliceLink, aliceKeys, isAlice: true), aliceReconciler, options);
        _bob = new BobPostProcessor(new AuthenticatedChannel(_bobLink, bobKeys, isAlice: false), bobReconciler, options);
    }

    public BlockOutcome Process(RawBlock raw) => ProcessAsync(raw).GetAwaiter().GetResult();

    private async Task<BlockOutcome> ProcessAsync(RawBlock raw)
    {
        if (_broken) throw new InvalidOperationException("the in-process post-processing channel failed on an earlier block");
        var (aliceBlock, bobBlock) = Halves(raw);
        if (!_helloDone)
        {
            await Both(Task.Run(() => _alice.HelloAsync()), Task.Run(() => _bob.HelloAsync())).ConfigureAwait(false);
            _helloDone = true;
        }
        var alice = Task.Run(() => _alice.ProcessBlockAsync(aliceBlock));
        var bob = Task.Run(() => _bob.ProcessBlockAsync(bobBlock));
        await Both(alice, bob).ConfigureAwait(false);
        if (alice.IsCompletedSuccessfully && bob.IsCompletedSuccessfully) return Outcome(raw, alice.Result, bob.Result, null);
        return Outcome(raw, null, null, (alice.Exception?.InnerException as TwoPartyAbortException)?.Figures);
    }

    /// <summary>
    /// Waits for both roles. Both refusing the block (on figures they share, at the same message) leaves
    /// the channel in step for the next block. Anything else (authentication failure, one-sided abort) is
    /// a broken session: the link is closed so neither side waits forever.
    /// </summary>
    private async Task Both(Task alice, Task bob)
    {
        var first = await Task.WhenAny(alice, bob).ConfigureAwait(false);
        if (first.IsFaulted && first.Exception!.InnerException is not TwoPartyAbortException) Break();
        try
        {
            await Task.WhenAll(alice, bob).ConfigureAwait(false);
        }
        catch (Exception) when (IsRefusal(alice) && IsRefusal(bob))
        {
        }
        catch (Exception e)
        {
            Break();
            throw new InvalidOperationException($"in-process post-processing failed: {e.Message}", e);
        }
    }

    private static bool IsRefusal(Task task) => task.Exception?.InnerException is TwoPartyAbortException;

    private void Break()
    {
        _broken = true;
        _aliceLink.Close();
        _bobLink.Close();
    }

    /// <summary>
    /// Each role's half, restricted to the detected pulses (renumbered 0..n-1 in pulse order): undetected
    /// pulses never enter sifting, and the session stores only detected pulses.
    /// </summary>
    private static (AliceBlock Alice, BobBlock Bob) Halves(RawBlock raw)
    {
        var n = raw.DetectionPulses.Length;
        var bases = new BitVector(n);
        var indices = new long[n];
        for (var i = 0; i < n; i++)
        {
            bases[i] = raw.BobBases[i] != 0;
            indices[i] = i;
        }
        return (new AliceBlock(raw.BlockId, raw.AliceCodes), new BobBlock(raw.BlockId, bases, indices, raw.DetectorCodes));
    }

    private static BlockOutcome Outcome(RawBlock raw, TwoPartyBlockReport? alice, TwoPartyBlockReport? bob, RefusedBlockFigures? refused)
    {
        int doubles = 0, sifted = 0;
        for (var i = 0; i < raw.DetectorCodes.Length; i++)
        {
            if (raw.DetectorCodes[i] == 3) doubles++;
            else if (raw.DetectorCodes[i] is 1 or 2 && raw.AliceCodes[i] >> 1 == raw.BobBases[i]) sifted++;
        }
        var sample = alice?.SampleBits ?? refused?.SampleBits ?? 0;
        return new BlockOutcome
        {
            BlockId = raw.BlockId, Pulses = raw.Pulses, Detections = raw.DetectionPulses.Length, DoubleClicks = doubles,
            SiftedBits = alice?.SiftedBits ?? refused?.SiftedBits ?? sifted, SampleBits = sample,
            Qber = alice?.Qber.Qber ?? refused?.Qber ?? double.NaN,
            RawKeyBits = sample == 0 ? 0 : (alice?.SiftedBits ?? refused!.SiftedBits) - sample,
            ReconciledBits = alice?.ReconciledBits ?? refused?.ReconciledBits ?? 0,
            AliceKey = alice?.Key ?? new BitVector(0), BobKey = bob?.Key ?? new BitVector(0),
        };
    }

    public void Dispose()
    {
        _aliceLink.Close();
        _bobLink.Close();
    }
}
