namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Decodes a frame to the word whose syndrome under H is the given one (Slepian-Wolf / syndrome decoding):
/// Alice holds channel LLRs for Bob's bits (log P(bit=0)/P(bit=1)), Bob sent H y. One instance holds its
/// own message buffers and is used by one thread at a time; nothing is allocated per frame.
/// </summary>
public interface ISyndromeDecoder
{
    SparseParityCheckMatrix Matrix { get; }

    /// <summary>Iteration limit (full passes over all checks).</summary>
    int MaxIterations { get; set; }

    /// <summary>
    /// Runs the decoder; <paramref name="decoded"/> receives the hard decision (Columns packed bits).
    /// Converged is true only if the hard decision satisfies the syndrome.
    /// </summary>
    DecodeResult Decode(ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded);

    /// <summary>
    /// Resumes the last <see cref="Decode"/> after the channel LLRs of <paramref name="changedColumns"/> were
    /// changed (bits revealed in a blind round): messages are kept, posteriors get the LLR difference.
    /// </summary>
    DecodeResult Continue(ReadOnlySpan<float> channelLlr, ReadOnlySpan<int> changedColumns, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded);

    /// <summary>
    /// Clears every value derived from the last frame (channel, posteriors, messages): a decoder kept for the next
    /// block must not hold Alice's key. The next <see cref="Decode"/> starts afresh; <see cref="Continue"/> needs a Decode first.
    /// </summary>
    void Wipe();
}

/// <summary>Outcome of one frame: whether H x = s was reached and after how many iterations.</summary>
public readonly record struct DecodeResult(bool Converged, int Iterations);

/// <summary>Channel log-likelihood ratios for a binary symmetric channel.</summary>
public static class ChannelLlr
{
    /// <summary>|LLR| of a bit seen through a BSC with crossover <paramref name="qber"/>: ln((1-Q)/Q).</summary>
    public static float Magnitude(double qber)
    {
        if (!(qber > 0 && qber < 0.5)) throw new ArgumentOutOfRangeException(nameof(qber), "QBER must be in (0, 0.5)");
        return (float)Math.Log((1 - qber) / qber);
    }

    /// <summary>LLR of a known bit (shortened): large but finite so sums cannot overflow.</summary>
    public const float Known = 64f;

    /// <summary>llr[i] = +m for bit 0, -m for bit 1, reading <paramref name="count"/> bits from <paramref name="offset"/>.</summary>
    public static void FromBits(ReadOnlySpan<ulong> bits, long offset, int count, float magnitude, Span<float> llr)
    {
        for (var i = 0; i < count; i++)
        {
            var b = offset + i;
            var bit = (bits[(int)(b >> 6)] >> (int)(b & 63)) & 1;
            llr[i] = bit == 0 ? magnitude : -magnitude;
        }
    }
}
