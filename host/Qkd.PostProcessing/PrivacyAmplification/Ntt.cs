using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Number-theoretic transform of 2^m points mod <see cref="NttField.P"/> (16 &lt;= 2^m &lt;= 2^26).
    /// Forward: Cooley-Tukey butterflies (a + w b, a - w b), natural order in, bit-reversed order out.
    /// Inverse: Gentleman-Sande butterflies, bit-reversed in, natural out, times N (the 1/2 of each stage
    /// is dropped; callers fold 1/N into their last multiplication). Pointwise products in between give
    /// cyclic convolution, so the order of the transformed values never matters.
    /// Value ranges (Harvey's lazy reduction): forward takes and returns values &lt; 4p, inverse takes
    /// values &lt; 2p and returns values &lt; 2p.
    /// </summary>
    public static class Ntt
    {
        public const int MinLength = 16;

        /// <summary>True when the AVX2 kernels run (otherwise the scalar loops, same results).</summary>
        public static bool Vectorized => Avx2.IsSupported;

        public static void Forward(uint[] data, int length, bool vectorized = true, bool parallel = true)
        {
            int log = CheckLength(data, length);
            uint[] z = NttTwiddles.Forward(length / 2);
            if (vectorized && Avx2.IsSupported) NttAvx2.Forward(data, log, z, parallel);
            else ForwardScalar(data.AsSpan(0, length), z);
        }

        public static void Inverse(uint[] data, int length, bool vectorized = true, bool parallel = true)
        {
            int log = CheckLength(data, length);
            uint[] z = NttTwiddles.Inverse(length / 2);
            if (vectorized && Avx2.IsSupported) NttAvx2.Inverse(data, log, z, parallel);
            else InverseScalar(data.AsSpan(0, length), z);
        }

        /// <summary>
        /// Forward transform of values t = bit (start + t) of a packed vector (t &lt; count; 0 outside
        /// [0, bitLength) and from count on). Large vector transforms expand the bits inside their first pass.
        /// </summary>
        public static void ForwardFromBits(uint[] data, int length, ulong[] words, long bitLength, long start, int count, bool vectorized, bool parallel)
        {
            int log = CheckLength(data, length);
            if (vectorized && Avx2.IsSupported && NttAvx2.ReadsBits(log))
            {
                NttAvx2.Forward(data, log, NttTwiddles.Forward(length / 2), parallel, new BitSource(words, bitLength, start, count));
                return;
            }
            NttBits.Unpack(words, bitLength, start, count, data, length, vectorized, parallel);
            Forward(data, length, vectorized, parallel);
        }

        /// <summary>Reduces every value (&lt; 2^32) to [0, p).</summary>
        public static void ReduceAll(Span<uint> data)
        {
            for (int i = 0; i < data.Length; i++) data[i] %= NttField.P;
        }

        private static int CheckLength(uint[] data, int length)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (length < MinLength || length > (1 << NttField.MaxLog) || !BitOperations.IsPow2(length))
                throw new ArgumentException($"NTT length {length} must be a power of two in [{MinLength}, 2^{NttField.MaxLog}].");
            if (data.Length < length) throw new ArgumentException($"Buffer of {data.Length} values is shorter than the NTT length {length}.");
            return BitOperations.Log2((uint)length);
        }

        /// <summary>Stage s (half-size h = N / 2^(s+1)), block k: (a, b) -> (a + Z[k] b, a - Z[k] b).</summary>
        internal static void ForwardScalar(Span<uint> a, uint[] z)
        {
            int n = a.Length, quotients = NttTwiddles.QuotientOffset(z);
            for (int s = 0, h = n / 2; h >= 1; s++, h >>= 1)
                for (int k = 0; k < (1 << s); k++)
                {
                    uint w = z[k], wq = z[quotients + k];
                    int start = k * 2 * h;
                    for (int j = start; j < start + h; j++)
                    {
                        uint x = a[j];
                        if (x >= NttField.TwoP) x -= NttField.TwoP;
                        uint t = NttField.ShoupMul(a[j + h], w, wq);
                        a[j] = x + t;
                        a[j + h] = x - t + NttField.TwoP;
                    }
                }
        }

        /// <summary>Undoes <see cref="ForwardScalar"/> up to the factor N: (a, b) -> (a + b, (a - b) / Z[k]).</summary>
        internal static void InverseScalar(Span<uint> a, uint[] zInverse)
        {
            int n = a.Length, quotients = NttTwiddles.QuotientOffset(zInverse);
            for (int h = 1, s = BitOperations.Log2((uint)n) - 1; h < n; h <<= 1, s--)
                for (int k = 0; k < (1 << s); k++)
                {
                    uint w = zInverse[k], wq = zInverse[quotients + k];
                    int start = k * 2 * h;
                    for (int j = start; j < start + h; j++)
                    {
                        uint x = a[j], y = a[j + h];
                        uint sum = x + y;
                        if (sum >= NttField.TwoP) sum -= NttField.TwoP;
                        a[j] = sum;
                        a[j + h] = NttField.ShoupMul(x - y + NttField.TwoP, w, wq);
                    }
                }
        }
    }
}
