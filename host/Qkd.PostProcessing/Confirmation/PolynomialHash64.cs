using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.Confirmation
{
    /// <summary>
    /// Universal hash for frame confirmation: the frame's words m_1..m_t and its bit length are the
    /// coefficients of a polynomial evaluated at the secret key k in GF(2^64) (Horner):
    /// tag = m_1 k^(t+1) + ... + m_t k^2 + length k. Two different frames of at most t words collide with
    /// probability &lt;= (t + 1) / 2^64 over a uniformly random k (a nonzero polynomial of degree t + 1 has
    /// at most t + 1 roots). The key must come from shared randomness and is never logged.
    /// </summary>
    public sealed class PolynomialHash64
    {
        private readonly ulong _key;
        private readonly bool _useHardware;

        public PolynomialHash64(ulong key, bool useHardware = true)
        {
            _key = key;
            _useHardware = useHardware;
        }

        public ulong Tag(BitVector frame)
        {
            ArgumentNullException.ThrowIfNull(frame);
            return Tag(frame.Words.AsSpan(0, BitVector.WordCount(frame.Length)), frame.Length);
        }

        /// <summary>Tag of a packed frame (bits past <paramref name="bitLength"/> must be zero).</summary>
        // Called once per frame: without this, tier-0 code hashed for the first ~30 blocks (several times slower).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public ulong Tag(ReadOnlySpan<ulong> words, long bitLength)
        {
            ulong h = 0;
            foreach (ulong w in words) h = Gf64.Multiply(h ^ w, _key, _useHardware);
            return Gf64.Multiply(h ^ (ulong)bitLength, _key, _useHardware);
        }

        /// <summary>Upper bound on the collision probability for frames of <paramref name="frameWords"/> words.</summary>
        public static double CollisionProbability(long frameWords) => (frameWords + 1) / Math.Pow(2, 64);

        /// <summary>Constant-time comparison of two tags (no early exit that would time the mismatch).</summary>
        public static bool TagsMatch(ulong a, ulong b) => (a ^ b) == 0;
    }
}
