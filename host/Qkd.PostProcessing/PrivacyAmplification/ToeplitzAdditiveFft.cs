using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Toeplitz hash as one polynomial product over GF(2^64) by the additive FFT (<see cref="AdditiveFftPlan"/>):
    /// seed and input in 32-bit chunks, both to the novel basis and transformed, multiplied pointwise, transformed
    /// back, to the monomial basis; the product's bits are the chunk products XORed at 32-bit steps.
    /// </summary>
    public static class ToeplitzAdditiveFft
    {
        /// <summary>The vector path runs here (AVX2 and 256-bit VPCLMULQDQ); otherwise the scalar loops.</summary>
        public static bool Vectorized => AdditiveFftAvx.IsSupported;

        public static AdditiveFftPlan PlanFor(int inputBits, int outputBits) => AdditiveFftPlan.For(inputBits, outputBits);

        /// <summary>Bits n-1 .. n+l-2 of seed(z) x(z) (lengths checked as by <see cref="ToeplitzHash"/>).</summary>
        /// <param name="vectorized">false: the scalar reference loops (Gf64.Multiply; portable carry-less multiply
        /// when <paramref name="useHardware"/> is false too).</param>
        public static BitVector Hash(BitVector input, BitVector seed, int outputBits, bool vectorized = true,
            bool parallel = true, bool useHardware = true)
        {
            ToeplitzHash.Validate(input, seed, outputBits);
            AdditiveFftPlan plan = PlanFor(input.Length, outputBits);
            if (vectorized && useHardware && AdditiveFftAvx.IsSupported && plan.Log >= AdditiveFftAvx.MinLog)
                return AdditiveFftAvx.Hash(plan, input, null, seed, outputBits, parallel).First;
            return HashScalar(plan, input, seed, outputBits, useHardware);
        }

        /// <summary>Two inputs of one length, one seed: the seed is transformed once.</summary>
        public static (BitVector First, BitVector Second) HashPair(BitVector first, BitVector second, BitVector seed,
            int outputBits, bool vectorized = true, bool parallel = true, bool useHardware = true)
        {
            ToeplitzHash.Validate(first, seed, outputBits);
            ToeplitzHash.Validate(second, seed, outputBits);
            if (first.Length != second.Length) throw new ArgumentException($"Both inputs need the same length (got {first.Length} and {second.Length}).");
            AdditiveFftPlan plan = PlanFor(first.Length, outputBits);
            if (vectorized && useHardware && AdditiveFftAvx.IsSupported && plan.Log >= AdditiveFftAvx.MinLog)
            {
                var (a, b) = AdditiveFftAvx.Hash(plan, first, second, seed, outputBits, parallel);
                return (a, b!);
            }
            BitVector firstHash = HashScalar(plan, first, seed, outputBits, useHardware);
            try
            {
                return (firstHash, HashScalar(plan, second, seed, outputBits, useHardware));
            }
            catch
            {
                Array.Clear(firstHash.Words); // a finished key is not left behind when the second one fails
                throw;
            }
        }

        private static BitVector HashScalar(AdditiveFftPlan plan, BitVector input, BitVector seed, int outputBits, bool useHardware)
        {
            int points = (int)plan.Points;
            var x = new ulong[points];
            var s = new ulong[points];
            try
            {
                LoadChunks(input.Words, input.Length, x);
                LoadChunks(seed.Words, (long)input.Length + outputBits - 1, s);
                foreach (ulong[] f in new[] { x, s })
                {
                    AdditiveFft.ToNovelScalar(f);
                    AdditiveFft.ForwardScalar(f, useHardware);
                }
                for (int i = 0; i < points; i++) x[i] = Gf64.Multiply(x[i], s[i], useHardware);
                AdditiveFft.InverseScalar(x, useHardware);
                AdditiveFft.FromNovelScalar(x);
                return ExtractBits(x, input.Length, outputBits);
            }
            finally
            {
                Array.Clear(x);
                Array.Clear(s);
            }
        }

        /// <summary>Chunk k = bits [32k, 32k + 32) of the first <paramref name="bits"/> bits; the rest of the span zero.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static void LoadChunks(ulong[] words, long bits, Span<ulong> chunks)
        {
            int count = (int)((bits + 31) / 32);
            for (int k = 0; k < count; k++)
            {
                ulong word = words[k >> 1];
                chunks[k] = (k & 1) == 0 ? (uint)word : word >> 32;
            }
            int tail = (int)(bits - 32L * (count - 1));
            if (tail < 32) chunks[count - 1] &= (1UL << tail) - 1;
            chunks[count..].Clear();
        }

        /// <summary>Bits [n - 1, n - 1 + l) of XOR_m C_m z^(32 m).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static BitVector ExtractBits(ReadOnlySpan<ulong> coefficients, int inputBits, int outputBits)
        {
            var words = new ulong[BitVector.WordCount(outputBits)];
            for (int i = 0; i < words.Length; i++) words[i] = OutputWord(coefficients, inputBits, i);
            return new BitVector(words, outputBits);
        }

        /// <summary>Word i of the hash: product bits [n - 1 + 64 i, n - 1 + 64 i + 64).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal static ulong OutputWord(ReadOnlySpan<ulong> coefficients, int inputBits, int i)
        {
            long position = inputBits - 1L + 64L * i, w = position >> 6;
            int shift = (int)(position & 63);
            ulong value = ProductWord(coefficients, w) >> shift;
            if (shift != 0) value |= ProductWord(coefficients, w + 1) << (64 - shift);
            return value;
        }

        /// <summary>Product word w = C_2w + C_(2w+1) z^32 + C_(2w-1) z^-32 (coefficients outside the span are 0).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static ulong ProductWord(ReadOnlySpan<ulong> c, long w)
        {
            long m = 2 * w;
            if (m >= 1 && m + 1 < c.Length) return c[(int)m] ^ (c[(int)m + 1] << 32) ^ (c[(int)m - 1] >> 32);
            return Coefficient(c, m) ^ (Coefficient(c, m + 1) << 32) ^ (Coefficient(c, m - 1) >> 32);
        }

        private static ulong Coefficient(ReadOnlySpan<ulong> c, long m) => m >= 0 && m < c.Length ? c[(int)m] : 0;
    }
}
