using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Estimation
{
    /// <summary>
    /// The estimation sample both sides derive from one shared seed (exchanged after sifting): a partial
    /// Fisher-Yates shuffle of 0..N-1 driven by SplitMix64 over the seed, with unbiased bounded draws
    /// (Lemire's multiply-and-reject). Same seed and N give the same sample on any machine.
    /// </summary>
    public static class SharedSample
    {
        /// <summary>Returns m distinct indices in 0..N-1, sorted ascending.</summary>
        public static int[] Choose(int siftedBits, int sampleBits, ulong seed)
        {
            var mask = ChooseMask(siftedBits, sampleBits, seed);
            return PackedSelect.Positions(mask.Words, mask.Length);
        }

        /// <summary>
        /// The same sample as <see cref="Choose"/>, as a mask of N bits (bit i set = position i disclosed):
        /// the form the packed estimation works on, and sorting for free.
        /// </summary>
        /// <remarks>
        /// The shuffle's draws j_i = i + U(N - i) do not depend on the array's contents, so they are drawn first;
        /// then the swaps are replayed on what they can touch: slots 0..m-1 (an array of m), and the few slots
        /// at or above m that are drawn twice or more (a small compact array). A slot above m drawn once still
        /// holds its own index when drawn, and what is written there is never read. Replaying on a 4-byte-per-
        /// position array of all N slots gives the same sample but misses the cache on every draw.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static BitVector ChooseMask(int siftedBits, int sampleBits, ulong seed)
        {
            if (siftedBits < 0) throw new ArgumentException($"Sifted length {siftedBits} must be >= 0.");
            if (sampleBits <= 0 || sampleBits > siftedBits)
                throw new ArgumentException($"Sample size {sampleBits} must lie in 1..{siftedBits} (the sifted bits).");
            int n = siftedBits, m = sampleBits, words = BitVector.WordCount(n);
            var mask = new BitVector(n);
            int[] draws = ArrayPool<int>.Shared.Rent(m);
            int[] low = ArrayPool<int>.Shared.Rent(m);
            ulong[] seen = ArrayPool<ulong>.Shared.Rent(words);
            ulong[] repeated = ArrayPool<ulong>.Shared.Rent(words);
            int[] rank = ArrayPool<int>.Shared.Rent(words + 1);
            int[]? high = null;
            try
            {
                Array.Clear(seen, 0, words);
                Array.Clear(repeated, 0, words);
                var rng = new SplitMix64(seed);
                for (int i = 0; i < m; i++)
                {
                    int j = i + (int)rng.NextBelow((ulong)(n - i));
                    draws[i] = j;
                    if (j < m) continue;
                    ulong bit = 1UL << (j & 63);
                    repeated[j >> 6] |= seen[j >> 6] & bit;
                    seen[j >> 6] |= bit;
                }

                // Slots >= m drawn more than once, in position order: rank[w] = how many lie in words before w.
                int count = 0;
                for (int w = 0; w < words; w++)
                {
                    rank[w] = count;
                    count += BitOperations.PopCount(repeated[w]);
                }
                high = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
                for (int w = 0, k = 0; w < words; w++)
                    for (ulong r = repeated[w]; r != 0; r &= r - 1) high[k++] = (w << 6) + BitOperations.TrailingZeroCount(r);

                for (int i = 0; i < m; i++) low[i] = i;
                ulong[] chosen = mask.Words;
                for (int i = 0; i < m; i++)
                {
                    // Swap slots i and j and take the drawn value; slot i is never read again.
                    int j = draws[i], drawn;
                    if (j < m)
                    {
                        drawn = low[j];
                        low[j] = low[i];
                    }
                    else if ((repeated[j >> 6] & (1UL << (j & 63))) != 0)
                    {
                        int k = rank[j >> 6] + BitOperations.PopCount(repeated[j >> 6] & ((1UL << (j & 63)) - 1));
                        drawn = high[k];
                        high[k] = low[i];
                    }
                    else
                    {
                        drawn = j;
                    }
                    chosen[drawn >> 6] |= 1UL << (drawn & 63);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(draws);
                ArrayPool<int>.Shared.Return(low);
                ArrayPool<ulong>.Shared.Return(seen);
                ArrayPool<ulong>.Shared.Return(repeated);
                ArrayPool<int>.Shared.Return(rank);
                if (high is not null) ArrayPool<int>.Shared.Return(high);
            }
            return mask;
        }

        /// <summary>The indices of 0..N-1 not in <paramref name="sortedSample"/>, ascending (the key positions).</summary>
        public static int[] Complement(int siftedBits, int[] sortedSample)
        {
            var rest = new int[siftedBits - sortedSample.Length];
            int s = 0, r = 0;
            for (int i = 0; i < siftedBits; i++)
            {
                if (s < sortedSample.Length && sortedSample[s] == i) { s++; continue; }
                rest[r++] = i;
            }
            return rest;
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): counter-mode generator, fully determined by the seed.</summary>
    public struct SplitMix64
    {
        private ulong _state;

        public SplitMix64(ulong seed) => _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in 0..bound-1 without modulo bias.</summary>
        public ulong NextBelow(ulong bound)
        {
            // The 128-bit product's high word is the draw, its low word decides rejection.
            ulong high = Math.BigMul(Next(), bound, out ulong low);
            if (low < bound)
            {
                ulong threshold = (0UL - bound) % bound;
                while (low < threshold) high = Math.BigMul(Next(), bound, out low);
            }
            return high;
        }
    }
}
