using System.Numerics;
using System.Runtime.CompilerServices;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Sifting;

namespace Qkd.PostProcessing.Estimation
{
    /// <summary>QBER of one basis (or overall) from the disclosed sample, with upper confidence bounds.</summary>
    public sealed class QberEstimate
    {
        public QberEstimate(int errors, int sampleBits, double epsilon)
        {
            Errors = errors;
            SampleBits = sampleBits;
            Qber = sampleBits == 0 ? double.NaN : (double)errors / sampleBits;
            // Hoeffding: P(Q_true > Q + t) <= exp(-2 m t^2)  =>  t = sqrt(ln(1/eps) / (2m)).
            HoeffdingUpper = sampleBits == 0 ? double.NaN : Math.Min(1, Qber + Math.Sqrt(Math.Log(1 / epsilon) / (2.0 * sampleBits)));
            // hBN paper's xi (qkd-math.md, eps_PE = eps / 4, literal factor 1/2).
            XiUpper = sampleBits == 0 ? double.NaN : Qber + HbnProfile.FluctuationXi(sampleBits, epsilon / 4, XiConvention.Half);
        }

        public int Errors { get; }
        public int SampleBits { get; }
        public double Qber { get; }
        public double HoeffdingUpper { get; }
        public double XiUpper { get; }
    }

    /// <summary>Estimation outcome: QBERs and the key that remains once the disclosed sample is removed.</summary>
    public sealed class EstimationResult
    {
        internal EstimationResult(QberEstimate overall, QberEstimate z, QberEstimate x, BitVector aliceKey, BitVector bobKey)
        {
            Overall = overall;
            Z = z;
            X = x;
            AliceKey = aliceKey;
            BobKey = bobKey;
        }

        public QberEstimate Overall { get; }
        public QberEstimate Z { get; }
        public QberEstimate X { get; }

        /// <summary>Alice's raw key: sifted bits (Z then X) without the sample.</summary>
        public BitVector AliceKey { get; }

        /// <summary>Bob's raw key, aligned with Alice's.</summary>
        public BitVector BobKey { get; }
    }

    /// <summary>
    /// Parameter estimation: the sifted bits of both bases (Z then X) are one string; m positions chosen by
    /// <see cref="SharedSample"/> are disclosed and compared, then removed from the key.
    /// </summary>
    public static class ParameterEstimation
    {
        public static EstimationResult Estimate(SiftResult sifted, int sampleBits, ulong sharedSeed, double epsilon = 1e-10)
        {
            ArgumentNullException.ThrowIfNull(sifted);
            return Estimate(Concatenate(sifted.Z.Alice, sifted.X.Alice), Concatenate(sifted.Z.Bob, sifted.X.Bob),
                sifted.Z.Alice.Length, sampleBits, sharedSeed, epsilon);
        }

        /// <summary>Same, on aligned sifted strings whose first <paramref name="zLength"/> bits are the Z basis.</summary>
        public static EstimationResult Estimate(BitVector alice, BitVector bob, int zLength, int sampleBits, ulong sharedSeed, double epsilon = 1e-10)
        {
            ArgumentNullException.ThrowIfNull(alice);
            ArgumentNullException.ThrowIfNull(bob);
            if (alice.Length != bob.Length) throw new ArgumentException($"Alice has {alice.Length} sifted bits, Bob {bob.Length}.");
            if (zLength < 0 || zLength > alice.Length) throw new ArgumentException($"Z length {zLength} outside 0..{alice.Length}.");
            if (!(epsilon > 0 && epsilon < 1)) throw new ArgumentException($"eps = {epsilon} must lie in (0, 1).");

            return Estimate(alice, bob, zLength, SharedSample.ChooseMask(alice.Length, sampleBits, sharedSeed), epsilon);
        }

        /// <summary>
        /// Same, with the sample given as a mask (<see cref="SharedSample.ChooseMask"/>): errors are counted a word
        /// at a time (popcount of (a XOR b) AND mask, split at the Z/X boundary) and the sample is removed by
        /// word compaction.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static EstimationResult Estimate(BitVector alice, BitVector bob, int zLength, BitVector sampleMask, double epsilon = 1e-10)
        {
            ArgumentNullException.ThrowIfNull(alice);
            ArgumentNullException.ThrowIfNull(bob);
            ArgumentNullException.ThrowIfNull(sampleMask);
            if (alice.Length != bob.Length) throw new ArgumentException($"Alice has {alice.Length} sifted bits, Bob {bob.Length}.");
            if (sampleMask.Length != alice.Length) throw new ArgumentException($"The sample mask covers {sampleMask.Length} bits, the sifted strings {alice.Length}.");
            if (zLength < 0 || zLength > alice.Length) throw new ArgumentException($"Z length {zLength} outside 0..{alice.Length}.");
            if (!(epsilon > 0 && epsilon < 1)) throw new ArgumentException($"eps = {epsilon} must lie in (0, 1).");

            ulong[] a = alice.Words, b = bob.Words, m = sampleMask.Words;
            int words = BitVector.WordCount(alice.Length);
            int zWords = zLength >> 6;
            long errorsZ = 0, errorsX = 0, sampleZ = 0, sample = 0;
            for (int w = 0; w < words; w++)
            {
                ulong disclosedErrors = (a[w] ^ b[w]) & m[w];
                int e = BitOperations.PopCount(disclosedErrors), s = BitOperations.PopCount(m[w]);
                sample += s;
                if (w < zWords) { errorsZ += e; sampleZ += s; }
                else if (w > zWords || (zLength & 63) == 0) errorsX += e;
                else
                {
                    ulong z = (1UL << (zLength & 63)) - 1;
                    int ez = BitOperations.PopCount(disclosedErrors & z);
                    errorsZ += ez;
                    errorsX += e - ez;
                    sampleZ += BitOperations.PopCount(m[w] & z);
                }
            }
            if (sample == 0) throw new ArgumentException("The sample mask selects no position.");

            return new EstimationResult(
                new QberEstimate((int)(errorsZ + errorsX), (int)sample, epsilon),
                new QberEstimate((int)errorsZ, (int)sampleZ, epsilon),
                new QberEstimate((int)errorsX, (int)(sample - sampleZ), epsilon),
                alice.Except(sampleMask), bob.Except(sampleMask));
        }

        private static BitVector Concatenate(BitVector first, BitVector second)
        {
            var result = new BitVector(first.Length + second.Length);
            first.CopyTo(0, result, 0, first.Length);
            second.CopyTo(0, result, first.Length, second.Length);
            return result;
        }
    }
}
