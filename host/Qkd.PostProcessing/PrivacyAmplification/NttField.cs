using System.Runtime.CompilerServices;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Arithmetic mod p = 7 * 2^26 + 1 = 469762049 (primitive root 3): Shoup products by constants (the
    /// twiddles) and Montgomery products (R = 2^32) where both factors vary (the pointwise products).
    /// Why this prime: 4p &lt; 2^32 allows Harvey's lazy butterflies (values kept in [0, 4p) without a
    /// reduction per add), 2^26 | p - 1 gives transforms up to 2^26 points, and p &gt; 2^27 means a sum of
    /// up to 2^27 bit products is exact, so its parity is the GF(2) result.
    /// </summary>
    public static class NttField
    {
        public const uint P = 469762049;
        public const uint TwoP = 2 * P;
        public const int MaxLog = 26;
        public const uint Generator = 3;

        /// <summary>-p^-1 mod 2^32 (a constant so the JIT folds it into the vector kernels; a test checks it).</summary>
        public const uint NegativeInverse = 469762047;

        /// <summary>a b R^-1 mod p, in [0, 2p) when a b &lt; 2^32 p (e.g. a &lt; 4p, b &lt; p).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint MontMul(uint a, uint b)
        {
            ulong t = (ulong)a * b;
            uint m = (uint)t * NegativeInverse;
            return (uint)((t + (ulong)m * P) >> 32);
        }

        /// <summary>Shoup's precomputed quotient floor(w 2^32 / p) of a constant factor w &lt; p.</summary>
        public static uint ShoupQuotient(uint w) => (uint)(((ulong)w << 32) / P);

        /// <summary>a w mod p, in [0, 2p), for any a &lt; 2^32 and w &lt; p with wQuotient = ShoupQuotient(w).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ShoupMul(uint a, uint w, uint wQuotient)
        {
            uint q = (uint)(((ulong)a * wQuotient) >> 32);
            return unchecked(a * w - q * P);
        }

        /// <summary>Reduces x &lt; 2^32 fully into [0, p).</summary>
        public static uint Reduce(uint x) => x % P;

        /// <summary>x R mod p.</summary>
        public static uint ToMontgomery(uint x) => (uint)(((ulong)x << 32) % P);

        public static uint Pow(uint b, ulong e)
        {
            ulong result = 1, x = b % P;
            while (e > 0)
            {
                if ((e & 1) != 0) result = result * x % P;
                x = x * x % P;
                e >>= 1;
            }
            return (uint)result;
        }

        public static uint Inverse(uint x) => Pow(x, P - 2);

        /// <summary>A primitive 2^log-th root of unity (plain form).</summary>
        public static uint RootOfUnity(int log) => Pow(Generator, (P - 1) >> log);
    }
}
