using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Information reconciliation of one block: Bob's string is the reference; Alice corrects hers to Bob's
/// from what Bob discloses (syndromes, revealed bits). Frames that do not decode, or whose confirmation
/// hash differs, are dropped and counted, never passed on.
/// </summary>
public interface IReconciler
{
    /// <summary>Registered name ("paper", "adaptive", ...).</summary>
    string Name { get; }

    /// <summary>Payload bits per frame; a block's tail shorter than a frame is left unreconciled.</summary>
    int FrameBits { get; }

    /// <param name="alice">Alice's sifted key (the noisy copy).</param>
    /// <param name="bob">Bob's sifted key (the reference), same length.</param>
    /// <param name="qber">Estimated QBER, in (0, 0.5): sets the decoder's channel LLR and the rate.</param>
    ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber);

    /// <summary>
    /// Alice's half of the two-party protocol: she holds only her string, receives Bob's disclosures over
    /// <paramref name="channel"/> and ends with the confirmed frames equal to Bob's. Both halves return the
    /// same figures. Reconcilers that have no two-party form yet refuse (never a silent fallback).
    /// </summary>
    Task<ReconciliationResult> ReconcileAsAliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"reconciler '{Name}' has no two-party protocol");

    /// <summary>Bob's half: he discloses syndromes (and revealed bits) of his string, the reference.</summary>
    Task<ReconciliationResult> ReconcileAsBobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"reconciler '{Name}' has no two-party protocol");
}

/// <summary>What one block's reconciliation produced and disclosed.</summary>
public sealed class ReconciliationResult
{
    /// <summary>The confirmed frames, concatenated in order: Alice's corrected bits, equal to Bob's.</summary>
    public required BitVector Reconciled { get; init; }

    /// <summary>Per frame: decoded and confirmed.</summary>
    public required bool[] FrameOk { get; init; }

    public required int FrameBits { get; init; }

    public int FramesOk => FrameOk.Count(ok => ok);

    public int FramesFailed => FrameOk.Length - FramesOk;

    /// <summary>Bits disclosed about the key by syndromes and revealed bits, over all frames (failed ones too).</summary>
    public required long LeakBits { get; init; }

    /// <summary>Bits disclosed by confirmation hashes (64 per frame); part of leak_EC for the key length.</summary>
    public required long ConfirmationBits { get; init; }

    /// <summary>Bits of the input after the last whole frame, not reconciled.</summary>
    public required long UnusedBits { get; init; }

    /// <summary>Mean decoder iterations per frame (all blind rounds of a frame summed).</summary>
    public required double MeanIterations { get; init; }

    /// <summary>Frames whose decoder converged but whose confirmation hash still differed.</summary>
    public required int HashMismatches { get; init; }

    /// <summary>f = LeakBits / (frames x FrameBits x h(Q)), Q the QBER given to the reconciler.</summary>
    public required double Efficiency { get; init; }
}
