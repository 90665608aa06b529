namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>
    /// Tomamichel, Lim, Gisin, Renner, Nat. Commun. 3, 634 (2012), arXiv:1103.4130:
    /// l = floor(A n (1 - h(min(1/2, (Q + mu)/A))) - leak_EC - log2(2 / (eps_sec^2 eps_cor))),
    /// mu = sqrt((n + k)/(n k) (k + 1)/k ln(2/eps_sec)), k = sample bits. eps_sec = eps.
    /// A = 1 is the paper's BB84 with q = 1; A &lt; 1 tags multi-photon detections as insecure (GLLP-style
    /// extension of qkd-math.md, not in the paper).
    /// </summary>
    public sealed class TomamichelProfile : IKeyLengthProfile
    {
        public string Name => "tomamichel-2012";
        public string Source => "Tomamichel et al. 2012 (arXiv:1103.4130), eq. for l with mu";

        public KeyLengthResult Compute(KeyLengthInput input)
        {
            input.Validate();
            double n = input.KeyBits, k = input.SampleBits, a = input.SinglePhotonFraction;
            double epsSec = input.Epsilon, epsCor = input.EpsilonCorrect;

            double mu = Math.Sqrt((n + k) / (n * k) * (k + 1) / k * Math.Log(2 / epsSec));
            double qu = Math.Min(0.5, (input.Qber + mu) / a);
            double leak = input.ReconciliationLeakBits();
            double security = Math.Log2(2 / (epsSec * epsSec * epsCor));
            double bits = a * n * (1 - Entropy.Binary(qu)) - leak - security;
            long key = KeyLengthResult.Floor(bits);

            return new KeyLengthResult(Name, key, bits / n, new[]
            {
                Term("mu", mu), Term("qu", qu), Term("leakBits", leak), Term("securityBits", security), Term("a", a),
            });
        }

        private static KeyValuePair<string, double> Term(string k, double v) => new(k, v);
    }
}
