using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>How the Toeplitz product is computed.</summary>
    public enum ToeplitzMethod
    {
        /// <summary>The additive FFT where its vector path runs (measured faster than both others from 64 bits to 2^27);
        /// otherwise Karatsuba below <see cref="ToeplitzHash.NttThresholdBits"/> input bits, NTT from there.</summary>
        Auto,
        /// <summary>Carry-less Karatsuba, O(n^1.58).</summary>
        Karatsuba,
        /// <summary>Number-theoretic transform mod 7 * 2^26 + 1, O(n log n).</summary>
        Ntt,
        /// <summary>Additive FFT over GF(2^64) (Lin-Chung-Han novel basis, Cantor basis), O(n log n).</summary>
        AdditiveFft,
    }

    /// <summary>
    /// Privacy amplification by a Toeplitz matrix (qkd-math.md): seed s of n + l - 1 bits,
    /// y_i = XOR_j s[i - j + n - 1] x_j. That is the GF(2) middle product: y = bits n-1 .. n+l-2 of the
    /// carry-less product s(x) x(x). Large inputs go through <see cref="ToeplitzNtt"/> (O(n log n)),
    /// small ones through Karatsuba carry-less multiplication, where it is faster.
    /// </summary>
    public sealed class ToeplitzHash
    {
        /// <summary>Without the additive FFT's vector path, Auto switches to the NTT at this many input bits: measured faster from 1024 bits on (1.5x there,
        /// 2-4x at 4096-65536 bits; docs/benchmarks/privacy-amplification.md).</summary>
        public const int NttThresholdBits = 1 << 10;

        private readonly PolynomialMultiplier _serial;
        private readonly PolynomialMultiplier _parallel;
        private readonly bool _useHardware;

        /// <param name="useHardware">false forces the portable carry-less multiply and the scalar NTT loops.</param>
        public ToeplitzHash(bool useHardware = true, int parallelDepth = -1, ToeplitzMethod method = ToeplitzMethod.Auto)
        {
            _serial = new PolynomialMultiplier(useHardware, 0);
            _parallel = new PolynomialMultiplier(useHardware, parallelDepth);
            _useHardware = useHardware;
            Method = method;
            // Twiddle tables grow on demand; growing them inside the first large hash of a pipeline cost ~5-10 ms.
            if (MethodFor(NttThresholdBits) == ToeplitzMethod.Ntt) NttTwiddles.Prepare(PreparedTransformLog);
        }

        /// <summary>Twiddles for transforms up to 2^this points are built at construction (8 MiB, once per process):
        /// enough for ~10^6 input bits, the block size of the pipeline.</summary>
        public const int PreparedTransformLog = 20;

        public ToeplitzMethod Method { get; }

        /// <summary>The method that runs for n input bits.</summary>
        public ToeplitzMethod MethodFor(int inputBits) =>
            Method != ToeplitzMethod.Auto ? Method
            : _useHardware && ToeplitzAdditiveFft.Vectorized ? ToeplitzMethod.AdditiveFft
            : inputBits >= NttThresholdBits ? ToeplitzMethod.Ntt : ToeplitzMethod.Karatsuba;

        /// <summary>Compresses <paramref name="input"/> (n bits) to <paramref name="outputBits"/> bits.</summary>
        public BitVector Hash(BitVector input, BitVector seed, int outputBits)
        {
            Validate(input, seed, outputBits);
            ToeplitzMethod method = MethodFor(input.Length);
            if (method == ToeplitzMethod.Ntt)
                return ToeplitzNtt.Hash(input, seed, outputBits, vectorized: _useHardware, parallel: true);
            if (method == ToeplitzMethod.AdditiveFft)
                return ToeplitzAdditiveFft.Hash(input, seed, outputBits, vectorized: _useHardware, parallel: true, useHardware: _useHardware);
            return HashKaratsuba(input, seed, outputBits);
        }

        /// <summary>
        /// Compresses two inputs of the same length with one seed, e.g. Alice's and Bob's reconciled keys, using both
        /// cores (<see cref="ToeplitzNtt.HashPair"/>: one shared pass or two hashes side by side). Same results as
        /// two <see cref="Hash"/> calls.
        /// </summary>
        public (BitVector First, BitVector Second) HashPair(BitVector first, BitVector second, BitVector seed, int outputBits,
            ToeplitzPairStrategy strategy = ToeplitzPairStrategy.Auto)
        {
            Validate(first, seed, outputBits);
            Validate(second, seed, outputBits);
            if (first.Length != second.Length) throw new ArgumentException($"Both inputs need the same length (got {first.Length} and {second.Length}).");
            ToeplitzMethod method = MethodFor(first.Length);
            if (method == ToeplitzMethod.Ntt)
                return ToeplitzNtt.HashPair(first, second, seed, outputBits, vectorized: _useHardware, parallel: true, strategy);
            if (method == ToeplitzMethod.AdditiveFft)
                return ToeplitzAdditiveFft.HashPair(first, second, seed, outputBits, vectorized: _useHardware, parallel: true, useHardware: _useHardware);
            return (HashKaratsuba(first, seed, outputBits), HashKaratsuba(second, seed, outputBits));
        }

        private BitVector HashKaratsuba(BitVector input, BitVector seed, int outputBits)
        {
            int n = input.Length;
            int inputWords = BitVector.WordCount(n);
            int seedWords = BitVector.WordCount(seed.Length);

            // Cut seed and input into blocks of half the input; a block pair (i, j) adds its product at word
            // (i + j) B. Only product bits [n-1, n-1+l) are kept, so pairs that cannot reach them are skipped:
            // for l = n/2 that leaves 4 half-size products (4/3 of one full product) instead of 2 full ones.
            int blockWords = Math.Max(1, (inputWords + 1) / 2);
            long firstBit = n - 1, endBit = (long)n - 1 + outputBits;
            var pairs = new List<(int Seed, int Input)>();
            for (int i = 0; i * blockWords < seedWords; i++)
                for (int j = 0; j * blockWords < inputWords; j++)
                {
                    long low = (long)(i + j) * blockWords * 64, high = (long)(i + j + 2) * blockWords * 64;
                    if (high > firstBit && low < endBit) pairs.Add((i, j));
                }

            var product = new ulong[seedWords + inputWords + 2 * blockWords];
            var partials = new ulong[pairs.Count][];
            PolynomialMultiplier multiplier = pairs.Count > 1 ? _serial : _parallel;
            Parallel.For(0, pairs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
            {
                ulong[] s = Block(seed.Words, seedWords, pairs[p].Seed, blockWords);
                ulong[] x = Block(input.Words, inputWords, pairs[p].Input, blockWords);
                var partial = new ulong[2 * blockWords];
                multiplier.Multiply(s, x, partial);
                partials[p] = partial;
            });
            for (int p = 0; p < pairs.Count; p++)
                PolynomialMultiplier.Xor(product.AsSpan((pairs[p].Seed + pairs[p].Input) * blockWords), partials[p]);

            var productBits = new BitVector(product, product.Length * 64);
            return productBits.Slice(n - 1, outputBits);
        }

        private static ulong[] Block(ulong[] words, int wordCount, int index, int blockWords)
        {
            var block = new ulong[blockWords];
            int start = index * blockWords;
            Array.Copy(words, start, block, 0, Math.Min(blockWords, wordCount - start));
            return block;
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

        internal static void Validate(BitVector input, BitVector seed, int outputBits)
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
