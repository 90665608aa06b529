using System.Runtime.Intrinsics;
using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Bit-range copies between packed LSB-first word arrays, 64 bits at a time. The loops run a few times per block, too
/// rarely for tiered JIT to optimise them within a session's first ~30 blocks (tier 0 copied 0.5 ms per 10^6 bits, fully
/// optimised 0.07 ms): AggressiveOptimization compiles them optimised at once.
/// </summary>
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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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

/// <summary>
/// A mother code's frame columns as a packed mask (bit c set = column c carries a frame bit), so a frame moves
/// into and out of a codeword a word at a time (PDEP / PEXT) instead of bit by bit. Frame bit i sits at the
/// i-th set column, as <see cref="MotherCode.FramePositions"/> (ascending) defines.
/// </summary>
internal static class FrameColumns
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MotherCode, ulong[]> Masks = new();

    public static ulong[] MaskOf(MotherCode code) => Masks.GetValue(code, c =>
    {
        var mask = new ulong[BitVector.WordCount(c.Matrix.Columns)];
        foreach (var column in c.FramePositions) mask[column >> 6] |= 1UL << (column & 63);
        return mask;
    });

    /// <summary>codeword = frame bits [start, start + FrameBits) of <paramref name="source"/> at the frame columns, zeros elsewhere.</summary>
    public static void Insert(MotherCode code, ReadOnlySpan<ulong> source, long start, Span<ulong> codeword)
    {
        var mask = MaskOf(code);
        PackedSelect.Deposit(source, start, mask, codeword, mask.Length);
    }

    /// <summary>frame = the codeword's bits at the frame columns, packed from bit 0 (FrameBits of them).</summary>
    public static void Extract(MotherCode code, ReadOnlySpan<ulong> codeword, Span<ulong> frame)
    {
        var mask = MaskOf(code);
        PackedSelect.Extract(codeword, mask, invertMask: false, code.Matrix.Columns, frame);
    }

    /// <summary>
    /// Channel LLRs of a frame: llr[c] = +m for a 0 bit, -m for a 1 bit at every frame column c, 8 columns per
    /// vector; the modulation columns get +m here and are the caller's to set.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void SetLlr(MotherCode code, ReadOnlySpan<ulong> source, long start, float magnitude, Span<float> llr)
    {
        var columns = code.Matrix.Columns;
        if (llr.Length < columns) throw new ArgumentException($"need {columns} LLRs", nameof(llr));
        var mask = MaskOf(code);
        // Long codes (over 65536 columns) borrow a pooled buffer instead of the stack: no allocation per frame.
        var rented = mask.Length <= 1024 ? null : System.Buffers.ArrayPool<ulong>.Shared.Rent(mask.Length);
        Span<ulong> codeword = rented is null ? stackalloc ulong[mask.Length] : rented.AsSpan(0, mask.Length);
        try
        {
            FillLlr(source, start, mask, codeword, columns, magnitude, llr);
        }
        finally
        {
            // The buffer held Alice's raw key bits: cleared before another user of the shared pool can rent it.
            codeword.Clear();
            if (rented is not null) System.Buffers.ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void FillLlr(ReadOnlySpan<ulong> source, long start, ulong[] mask, Span<ulong> codeword, int columns, float magnitude, Span<float> llr)
    {
        PackedSelect.Deposit(source, start, mask, codeword, mask.Length);
        var positive = Vector256.Create(magnitude);
        var negative = Vector256.Create(-magnitude);
        var lanes = Vector256.Create(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u);
        var c = 0;
        for (; c + 8 <= columns; c += 8)
        {
            var octet = (uint)(codeword[c >> 6] >> (c & 63)) & 0xFF;
            var isOne = Vector256.Equals(Vector256.Create(octet) & lanes, lanes).AsSingle();
            Vector256.ConditionalSelect(isOne, negative, positive).StoreUnsafe(ref llr[c]);
        }
        for (; c < columns; c++) llr[c] = ((codeword[c >> 6] >> (c & 63)) & 1) == 0 ? magnitude : -magnitude;
    }
}
