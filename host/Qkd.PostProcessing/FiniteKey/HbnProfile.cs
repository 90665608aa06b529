namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>
    /// hBN BB84 paper, appendix eqs A1-A2, read literally (qkd-math.md):
    /// r = A (1 - h(Qu/A)) - (1 - R_c) - Delta(n), key = floor(r n); Qu = Q + xi.
    /// eps is split evenly: eps~ = eps_PA = eps_EC = eps_PE = eps/4. Without a code rate or leak the
    /// paper's R_c = 0.5 is used; with a leak, (1 - R_c) becomes leak / n.
    /// </summary>
    public sealed class HbnProfile : IKeyLengthProfile
    {
        public const double PaperCodeRate = 0.5;
        private const int SampleDimension = 2; // d in the paper's xi

        public string Name => "hbn-2023";
        public string Source => "hBN BB84 2023, appendix A, eqs A1-A2";

        public KeyLengthResult Compute(KeyLengthInput input)
        {
            input.Validate();
            double n = input.KeyBits, m = input.SampleBits, a = input.SinglePhotonFraction;
            double epsEach = input.Epsilon / 4;

            double xi = FluctuationXi(m, epsEach, input.Xi);
            double qu = input.Qber + xi;
            double delta = Delta(n, epsEach);
            double leakFraction = input.LeakBits is double leak ? leak / n : 1 - (input.CodeRate ?? PaperCodeRate);
            double qOverA = Math.Min(0.5, qu / a);
            double r = a * (1 - Entropy.Binary(qOverA)) - leakFraction - delta;
            long key = r <= 0 ? 0 : KeyLengthResult.Floor(r * n);

            return new KeyLengthResult(Name, key, r, new[]
            {
                Term("xi", xi), Term("qu", qu), Term("delta", delta),
                Term("leakFraction", leakFraction), Term("a", a), Term("epsEach", epsEach),
            });
        }

        /// <summary>xi = c sqrt((2 log2(1/eps_PE) + d log2(m+1)) / m), c = 1/2 (literal) or 1.</summary>
        public static double FluctuationXi(double m, double epsPe, XiConvention convention)
        {
            double root = Math.Sqrt((2 * Math.Log2(1 / epsPe) + SampleDimension * Math.Log2(m + 1)) / m);
            return convention == XiConvention.Half ? root / 2 : root;
        }

        /// <summary>Delta(n) = 7 sqrt(log2(2/eps~)/n) + (2 log2(1/eps_PA) + log2(2/eps_EC)) / n.</summary>
        public static double Delta(double n, double epsEach) =>
            7 * Math.Sqrt(Math.Log2(2 / epsEach) / n) + (2 * Math.Log2(1 / epsEach) + Math.Log2(2 / epsEach)) / n;

        private static KeyValuePair<string, double> Term(string k, double v) => new(k, v);
    }
}
