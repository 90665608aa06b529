using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Additive FFT over GF(2^64) in Lin-Chung-Han's novel polynomial basis on the Cantor basis (README): the
    /// scalar reference loops, the twiddle table and the basis conversions' shift lists. Arrays hold 2^L elements.
    /// Forward: novel coefficients in, the values at u = sum u_t beta_t (u = 0 .. 2^L - 1) out, natural order.
    /// </summary>
    internal static class AdditiveFft
    {
        /// <summary>Twiddle of block b (any level): XOR of beta_(s+1) over the set bits s of b, as the XOR of a table
        /// entry for bits 0-15 and one for bits 16-31 (512 KiB for any size instead of 2^(L-1) entries).</summary>
        internal static readonly ulong[] TwiddleLow = GC.AllocateArray<ulong>(1 << 16, pinned: true);
        internal static readonly ulong[] TwiddleHigh = GC.AllocateArray<ulong>(1 << 16, pinned: true);

        /// <summary>Largest transform: block indices must fit the two 16-bit twiddle tables.</summary>
        public const int MaxLog = 32;

        static AdditiveFft()
        {
            for (int s = 0; s < 16; s++)
            {
                ulong low = CantorBasis.Beta(s + 1), high = CantorBasis.Beta(s + 17);
                for (int x = 1 << s; x < 2 << s; x++)
                {
                    TwiddleLow[x] = TwiddleLow[x ^ (1 << s)] ^ low;
                    TwiddleHigh[x] = TwiddleHigh[x ^ (1 << s)] ^ high;
                }
            }
        }

        public static ulong Twiddle(long block) => TwiddleLow[(int)(block & 0xFFFF)] ^ TwiddleHigh[(int)(block >> 16)];

        /// <summary>Distances 2^m - 2^j, j over the proper bitwise subsets of m (the lower terms of s_m), smallest first:
        /// dividing by s_m moves coefficient d (>= 2^m) onto d - distance.</summary>
        public static int[] Distances(int m)
        {
            var distances = new List<int>();
            for (int j = m - 1; j >= 0; j--)
                if ((j & m) == j) distances.Add((1 << m) - (1 << j));
            return distances.ToArray();
        }

        /// <summary>Monomial to novel basis, in place: divide each block of 2^(m+1) by s_m (top level first).</summary>
        public static void ToNovelScalar(Span<ulong> f)
        {
            int log = Log(f.Length);
            for (int m = log - 1; m >= 0; m--)
            {
                int[] distances = Distances(m);
                int half = 1 << m, size = half << 1;
                for (int offset = 0; offset < f.Length; offset += size)
                    for (int d = offset + size - 1; d >= offset + half; d--)
                        foreach (int distance in distances) f[d - distance] ^= f[d];
            }
        }

        /// <summary>Novel to monomial basis, in place: the exact reverse of <see cref="ToNovelScalar"/>.</summary>
        public static void FromNovelScalar(Span<ulong> f)
        {
            int log = Log(f.Length);
            for (int m = 0; m < log; m++)
            {
                int[] distances = Distances(m);
                int half = 1 << m, size = half << 1;
                for (int offset = 0; offset < f.Length; offset += size)
                    for (int d = offset + half; d < offset + size; d++)
                        foreach (int distance in distances) f[d - distance] ^= f[d];
            }
        }

        /// <summary>Levels of half 2^(L-1) down to 1; block b of a level: a' = a + c(b) b_hi, b_hi' = b_hi + a'.</summary>
        public static void ForwardScalar(Span<ulong> f, bool useHardware)
        {
            int log = Log(f.Length);
            for (int m = log - 1; m >= 0; m--)
            {
                int half = 1 << m, size = half << 1;
                for (int block = 0; block * size < f.Length; block++)
                {
                    ulong c = Twiddle(block);
                    int offset = block * size;
                    for (int j = offset; j < offset + half; j++)
                    {
                        ulong a = f[j] ^ Gf64.Multiply(c, f[j + half], useHardware);
                        f[j] = a;
                        f[j + half] ^= a;
                    }
                }
            }
        }

        /// <summary>Exact inverse of <see cref="ForwardScalar"/>: levels of half 1 up, b = b' + a', a = a' + c b.</summary>
        public static void InverseScalar(Span<ulong> f, bool useHardware)
        {
            int log = Log(f.Length);
            for (int m = 0; m < log; m++)
            {
                int half = 1 << m, size = half << 1;
                for (int block = 0; block * size < f.Length; block++)
                {
                    ulong c = Twiddle(block);
                    int offset = block * size;
                    for (int j = offset; j < offset + half; j++)
                    {
                        ulong b = f[j + half] ^ f[j];
                        f[j + half] = b;
                        f[j] ^= Gf64.Multiply(c, b, useHardware);
                    }
                }
            }
        }

        internal static int Log(int length)
        {
            if (length <= 0 || (length & (length - 1)) != 0) throw new ArgumentException($"Transform length {length} is not a power of two.");
            return System.Numerics.BitOperations.Log2((uint)length);
        }
    }
}
