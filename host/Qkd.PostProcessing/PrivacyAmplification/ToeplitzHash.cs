using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Privacy amplification by a Toeplitz matrix (qkd-math.md): seed s of n + l - 1 bits,
    /// y_i = XOR_j s[i - j + n - 1] x_j. That is the GF(2) middle product: y = bits n-1 .. n+l-2 of the
    /// carry-less product s(x) x(x), computed by Karatsuba in O(n^1.58) word operations.
    /// </summary>
    public sealed class ToeplitzHash
    {
        private readonly PolynomialMultiplier _multiplier;

        public ToeplitzHash(bool useHardware = true, int parallelDepth = -1)
        {
            _multiplier = new PolynomialMultiplier(useHardware, parallelDepth);
        }

        /// <summary>Compresses <paramref name="input"/> (n bits) to <paramref name="outputBits"/> bits.</summary>
        public BitVector Hash(BitVector input, BitVector seed, int outputBits)
        {
            Validate(input, seed, outputBits);
            int n = input.Length;
            int inputWords = BitVector.WordCount(n);
            int seedWords = BitVector.WordCount(seed.Length);

            // Only product bits [n-1, n-1+l) are kept; each seed chunk (inputWords long) multiplies the whole
            // input, and chunks whose partial product cannot reach that window are skipped.
            var product = new ulong[seedWords + inputWords + 1];
            long firstBit = n - 1, endBit = (long)n - 1 + outputBits;
            var chunkOffsets = new List<int>();
            for (int offset = 0; offset < seedWords; offset += inputWords)
            {
                long lowBit = (long)offset * 64, highBit = ((long)offset + 2 * inputWords) * 64;
                if (highBit > firstBit && lowBit < endBit) chunkOffsets.Add(offset);
            }

            ReadOnlyMemory<ulong> x = input.Words.AsMemory(0, inputWords);
            var partials = new ulong[chunkOffsets.Count][];
            Parallel.For(0, chunkOffsets.Count, new ParallelOptions { MaxDegreeOfParallelism = chunkOffsets.Count > 1 ? 2 : 1 }, c =>
            {
                int offset = chunkOffsets[c];
                var chunk = new ulong[inputWords];
                int available = Math.Min(inputWords, seedWords - offset);
                Array.Copy(seed.Words, offset, chunk, 0, available);
                var partial = new ulong[2 * inputWords];
                _multiplier.Multiply(chunk, x.Span, partial);
                partials[c] = partial;
            });
            for (int c = 0; c < chunkOffsets.Count; c++)
                PolynomialMultiplier.Xor(product.AsSpan(chunkOffsets[c]), partials[c]);

            var productBits = new BitVector(product, product.Length * 64);
            return productBits.Slice(n - 1, outputBits);
        }

        /// <summary>The O(n l) definition, bit by bit: the test oracle.</summary>
        public static BitVector HashDirect(BitVector input, BitVector seed, int outputBits)
        {
            Validate(input, seed, outputBits);
            int n = input.Length;
            var output = new BitVector(outputBits);
            for (int i = 0; i < outputBits; i++)
            {
                bool bit = false;
                for (int j = 0; j < n; j++)
                    if (input[j] && seed[i - j + n - 1]) bit = !bit;
                output[i] = bit;
            }
            return output;
        }

        public static int SeedBits(int inputBits, int outputBits) => checked(inputBits + outputBits - 1);

        private static void Validate(BitVector input, BitVector seed, int outputBits)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(seed);
            if (input.Length <= 0) throw new ArgumentException("Privacy amplification needs at least one input bit.");
            if (outputBits <= 0) throw new ArgumentException($"Output length {outputBits} must be > 0 bits.");
            if (outputBits > input.Length)
                throw new ArgumentException($"Output length {outputBits} exceeds the input length {input.Length}.");
            long needed = (long)input.Length + outputBits - 1;
            if (seed.Length < needed)
                throw new ArgumentException($"Toeplitz seed has {seed.Length} bits; n + l - 1 = {needed} are needed.");
        }
    }
}
