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

    /// <summary>Payload bits per frame; with mixed frame lengths the longest (see <see cref="FrameLengths"/>).</summary>
    public required int FrameBits { get; init; }

    /// <summary>Per frame, its payload bits, when frames of a block differ in length (the mixed adaptive scheme: long
    /// frames first, then short ones); null when every frame has <see cref="FrameBits"/>.</summary>
    public int[]? FrameLengths { get; init; }

    /// <summary>Payload bits of frame <paramref name="frame"/>.</summary>
    public int FrameLength(int frame) => FrameLengths is null ? FrameBits : FrameLengths[frame];

    /// <summary>Input bits covered by frames (reconciled or failed): the input minus <see cref="UnusedBits"/>.</summary>
    public long FramedBits => FrameLengths is null ? (long)FrameOk.Length * FrameBits : FrameLengths.Sum(l => (long)l);

    /// <summary>
    /// The confirmed frames of <paramref name="reference"/> (a party's own input, frames back to back from bit 0),
    /// concatenated: on Bob's side exactly <see cref="Reconciled"/>.
    /// </summary>
    public BitVector ConfirmedOf(BitVector reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length < FramedBits) throw new ArgumentException($"the reference has {reference.Length} bits, the frames cover {FramedBits}");
        var result = new BitVector((int)Enumerable.Range(0, FrameOk.Length).Where(f => FrameOk[f]).Sum(f => (long)FrameLength(f)));
        long from = 0, to = 0;
        for (var f = 0; f < FrameOk.Length; f++)
        {
            var length = FrameLength(f);
            if (FrameOk[f])
            {
                PackedBits.Copy(reference.Words, from, result.Words, to, length);
                to += length;
            }
            from += length;
        }
        return result;
    }

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

    /// <summary>f = LeakBits / (<see cref="FramedBits"/> x h(Q)), Q the QBER given to the reconciler.</summary>
    public required double Efficiency { get; init; }
}
