namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>
    /// QD single-photon QKD paper 2024, eq. 4 with multiplicative Chernoff bounds (qkd-math.md):
    /// L = N_Z,nmp^L (1 - h(phi_Z^U)) - lambda_EC - 2 log2(1/(2 eps_PA)) - log2(2/eps_cor).
    /// Mapping of our inputs: n_Z = n (key-basis detections), n_X = m (estimation bits), e_X = e_Z = Q,
    /// expected multi-photon detections = (1 - A) n. eps split as Table 1: eps_PE = 11 eps/12,
    /// eps_PA = eps_EC = eps/24 (for eps = 1e-10 that is exactly the paper's values).
    /// </summary>
    public sealed class QuantumDotProfile : IKeyLengthProfile
    {
        public string Name => "qd-2024";
        public string Source => "QD SPS QKD 2024, eq. 4 and Table 1; gamma of Lim et al. 2014";

        public KeyLengthResult Compute(KeyLengthInput input)
        {
            input.Validate();
            double nZ = input.KeyBits, nX = input.SampleBits, eX = input.Qber;
            double epsPe = input.Epsilon * 11 / 12, epsPa = input.Epsilon / 24;

            double multiPhotonMean = (1 - input.SinglePhotonFraction) * nZ;
            double multiPhotonUpper = input.SinglePhotonFraction >= 1 ? 0 : ChernoffUpper(multiPhotonMean, epsPe);
            double nonMultiPhoton = Math.Max(0, nZ - multiPhotonUpper);
            double gamma = eX > 0 ? Gamma(epsPe, eX, nZ, nX) : SamplingBoundAtZero(epsPe, nZ, nX);
            double phi = Math.Min(0.5, eX + gamma);
            double leak = input.ReconciliationLeakBits();
            double security = 2 * Math.Log2(1 / (2 * epsPa)) + Math.Log2(2 / input.EpsilonCorrect);
            double bits = nonMultiPhoton * (1 - Entropy.Binary(phi)) - leak - security;

            return new KeyLengthResult(Name, KeyLengthResult.Floor(bits), bits / nZ, new[]
            {
                Term("multiPhotonUpper", multiPhotonUpper), Term("nonMultiPhoton", nonMultiPhoton),
                Term("gamma", gamma), Term("phi", phi), Term("leakBits", leak), Term("securityBits", security),
            });
        }

        /// <summary>Upper Chernoff bound on a count with expectation mu: mu + (beta + sqrt(beta^2 + 8 beta mu))/2.</summary>
        public static double ChernoffUpper(double mean, double eps)
        {
            double beta = Math.Log(1 / eps);
            return mean + (beta + Math.Sqrt(beta * beta + 8 * beta * mean)) / 2;
        }

        /// <summary>gamma(a,b,c,d) = sqrt((c+d)(1-b)b/(c d ln 2) log2((c+d)/(c d (1-b) b a^2))).</summary>
        public static double Gamma(double a, double b, double c, double d)
        {
            double v = (c + d) * (1 - b) * b / (c * d * Math.Log(2)) * Math.Log2((c + d) / (c * d * (1 - b) * b * a * a));
            return v > 0 ? Math.Sqrt(v) : 0;
        }

        // gamma is 0/0 at b = 0; use its value at b = 1/(c+d) (one error), a conservative stand-in.
        private static double SamplingBoundAtZero(double a, double c, double d) => Gamma(a, 1 / (c + d), c, d);

        private static KeyValuePair<string, double> Term(string k, double v) => new(k, v);
    }
}
