using System.Buffers;
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static BitVector ChooseMask(int siftedBits, int sampleBits, ulong seed)
        {
            if (siftedBits < 0) throw new ArgumentException($"Sifted length {siftedBits} must be >= 0.");
            if (sampleBits <= 0 || sampleBits > siftedBits)
                throw new ArgumentException($"Sample size {sampleBits} must lie in 1..{siftedBits} (the sifted bits).");
            var mask = new BitVector(siftedBits);
            ulong[] words = mask.Words;
            // Pooled: a fresh 4 MB array per block costs more (zeroing, page faults) than the shuffle itself.
            int[] order = ArrayPool<int>.Shared.Rent(siftedBits);
            try
            {
                for (int i = 0; i < siftedBits; i++) order[i] = i;
                var rng = new SplitMix64(seed);
                for (int i = 0; i < sampleBits; i++)
                {
                    // Swap order[i] and order[j] and take the drawn value; slot i is never read again, so
                    // only slot j needs the value that was at i.
                    int j = i + (int)rng.NextBelow((ulong)(siftedBits - i));
                    int drawn = order[j];
                    order[j] = order[i];
                    words[drawn >> 6] |= 1UL << (drawn & 63);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(order);
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
