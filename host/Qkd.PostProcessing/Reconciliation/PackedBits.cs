using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>Bit-range copies between packed LSB-first word arrays, 64 bits at a time.</summary>
internal static class PackedBits
{
    public static ulong Read64(ReadOnlySpan<ulong> words, long bit)
    {
        var w = (int)(bit >> 6);
        var s = (int)(bit & 63);
        var value = words[w] >> s;
        if (s != 0 && w + 1 < words.Length) value |= words[w + 1] << (64 - s);
        return value;
    }

    /// <summary>Copies <paramref name="count"/> bits from source bit <paramref name="from"/> to destination bit <paramref name="to"/>.</summary>
    public static void Copy(ReadOnlySpan<ulong> source, long from, Span<ulong> destination, long to, int count)
    {
        for (var done = 0; done < count; done += 64)
        {
            var n = Math.Min(64, count - done);
            var value = Read64(source, from + done);
            Write(destination, to + done, value, n);
        }
    }

    /// <summary>Writes the low <paramref name="n"/> bits of <paramref name="value"/> at bit <paramref name="bit"/>.</summary>
    public static void Write(Span<ulong> words, long bit, ulong value, int n)
    {
        var mask = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
        value &= mask;
        var w = (int)(bit >> 6);
        var s = (int)(bit & 63);
        words[w] = (words[w] & ~(mask << s)) | (value << s);
        if (s != 0 && s + n > 64)
        {
            var spill = s + n - 64;
            var highMask = (1UL << spill) - 1;
            words[w + 1] = (words[w + 1] & ~highMask) | (value >> (64 - s));
        }
    }

    /// <summary>
    /// The frames marked in <paramref name="confirmed"/>, concatenated in order: frame f is the
    /// <paramref name="frameBits"/> bits at source bit f * <paramref name="frameStride"/>.
    /// </summary>
    public static BitVector ConfirmedFrames(ReadOnlySpan<ulong> source, long frameStride, bool[] confirmed, int frameBits)
    {
        var count = 0;
        foreach (var c in confirmed) if (c) count++;
        var result = new BitVector(count * frameBits);
        var at = 0L;
        for (var f = 0; f < confirmed.Length; f++)
        {
            if (!confirmed[f]) continue;
            Copy(source, f * frameStride, result.Words, at, frameBits);
            at += frameBits;
        }
        return result;
    }

    public static int Bit(ReadOnlySpan<ulong> words, int index) => (int)((words[index >> 6] >> (index & 63)) & 1);
}
