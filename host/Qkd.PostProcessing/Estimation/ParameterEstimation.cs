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

            int[] sample = SharedSample.Choose(alice.Length, sampleBits, sharedSeed);
            int errorsZ = 0, errorsX = 0, sampleZ = 0;
            foreach (int i in sample)
            {
                bool error = alice[i] != bob[i];
                if (i < zLength) { sampleZ++; if (error) errorsZ++; }
                else if (error) errorsX++;
            }

            int[] keep = SharedSample.Complement(alice.Length, sample);
            return new EstimationResult(
                new QberEstimate(errorsZ + errorsX, sample.Length, epsilon),
                new QberEstimate(errorsZ, sampleZ, epsilon),
                new QberEstimate(errorsX, sample.Length - sampleZ, epsilon),
                alice.Permute(keep), bob.Permute(keep));
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
