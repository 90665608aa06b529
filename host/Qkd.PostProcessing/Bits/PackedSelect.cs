using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.Bits
{
    /// <summary>
    /// Word-at-a-time bit compaction and expansion over packed LSB-first words: the bits of a source at the
    /// positions a mask selects, packed together in order (x86 PEXT), and the inverse, consecutive bits spread
    /// over the mask's positions (PDEP). A portable loop over the mask's set bits stands in where BMI2 is absent.
    /// </summary>
    internal static class PackedSelect
    {
        /// <summary>
        /// Appends, for each word w of <paramref name="source"/>, its bits where <paramref name="keep"/>(w) is set,
        /// to <paramref name="destination"/> from bit 0; returns the number of bits written. The destination must
        /// hold them, rounded up to whole words (its last word's high bits are written as zeros).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static long Extract(ReadOnlySpan<ulong> source, ReadOnlySpan<ulong> mask, bool invertMask, int bitLength, Span<ulong> destination)
        {
            int words = BitVector.WordCount(bitLength);
            int tail = bitLength & 63;
            ulong acc = 0;
            int accBits = 0, o = 0;
            long written = 0;
            for (int w = 0; w < words; w++)
            {
                ulong keep = invertMask ? ~mask[w] : mask[w];
                if (w == words - 1 && tail != 0) keep &= (1UL << tail) - 1;
                if (keep == 0) continue;
                int k = BitOperations.PopCount(keep);
                ulong v = Pext(source[w], keep);
                acc |= v << accBits;
                accBits += k;
                written += k;
                if (accBits >= 64)
                {
                    destination[o++] = acc;
                    accBits -= 64;
                    // The bits of v that did not fit; k - accBits = 64 - (old accBits), never 64 when accBits > 0.
                    acc = accBits == 0 ? 0 : v >> (k - accBits);
                }
            }
            if (accBits > 0) destination[o] = acc;
            return written;
        }

        /// <summary>
        /// For each word w of <paramref name="destination"/> (<paramref name="words"/> of them): the next
        /// popcount(mask[w]) bits of <paramref name="source"/>, read from bit <paramref name="sourceStart"/> on,
        /// placed at mask[w]'s set positions; the other bits of the word are cleared.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Deposit(ReadOnlySpan<ulong> source, long sourceStart, ReadOnlySpan<ulong> mask, Span<ulong> destination, int words)
        {
            long at = sourceStart;
            for (int w = 0; w < words; w++)
            {
                ulong m = mask[w];
                if (m == 0) { destination[w] = 0; continue; }
                int k = BitOperations.PopCount(m);
                destination[w] = Pdep(Read(source, at, k), m);
                at += k;
            }
        }

        /// <summary>Bits [bit, bit + count) of <paramref name="words"/> (count 1..64); reads past the end are zero.</summary>
        public static ulong Read(ReadOnlySpan<ulong> words, long bit, int count)
        {
            int w = (int)(bit >> 6), s = (int)(bit & 63);
            ulong value = w < words.Length ? words[w] >> s : 0;
            if (s != 0 && s + count > 64 && w + 1 < words.Length) value |= words[w + 1] << (64 - s);
            return count == 64 ? value : value & ((1UL << count) - 1);
        }

        public static ulong Pext(ulong value, ulong mask)
        {
            if (Bmi2.X64.IsSupported) return Bmi2.X64.ParallelBitExtract(value, mask);
            ulong result = 0;
            int k = 0;
            while (mask != 0)
            {
                int p = BitOperations.TrailingZeroCount(mask);
                result |= ((value >> p) & 1UL) << k++;
                mask &= mask - 1;
            }
            return result;
        }

        public static ulong Pdep(ulong value, ulong mask)
        {
            if (Bmi2.X64.IsSupported) return Bmi2.X64.ParallelBitDeposit(value, mask);
            ulong result = 0;
            while (mask != 0)
            {
                ulong lowest = mask & (0UL - mask);
                if ((value & 1) != 0) result |= lowest;
                value >>= 1;
                mask &= mask - 1;
            }
            return result;
        }

        /// <summary>The set positions of <paramref name="mask"/> (bitLength bits), ascending.</summary>
        public static int[] Positions(ReadOnlySpan<ulong> mask, int bitLength)
        {
            int words = BitVector.WordCount(bitLength);
            long count = 0;
            for (int w = 0; w < words; w++) count += BitOperations.PopCount(mask[w]);
            var positions = new int[count];
            int r = 0;
            for (int w = 0; w < words; w++)
            {
                for (ulong m = mask[w]; m != 0; m &= m - 1)
                    positions[r++] = (w << 6) + BitOperations.TrailingZeroCount(m);
            }
            return positions;
        }
    }
}
