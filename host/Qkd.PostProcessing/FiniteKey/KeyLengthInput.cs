namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>How the hBN paper's statistical fluctuation xi is read (qkd-math.md, profile hbn-2023).</summary>
    public enum XiConvention
    {
        /// <summary>xi = 1/2 sqrt(...): eq. A2 read literally.</summary>
        Half,
        /// <summary>xi = sqrt(...): reproduces the paper's reported lengths with the unrounded QBERs.</summary>
        Full,
    }

    /// <summary>Measured figures and security parameters a key-length profile needs.</summary>
    public sealed class KeyLengthInput
    {
        /// <summary>Measured QBER of the estimation sample (0 &lt;= Q &lt; 0.5).</summary>
        public double Qber { get; init; }

        /// <summary>n: raw key bits that go to reconciliation (sample already removed).</summary>
        public long KeyBits { get; init; }

        /// <summary>m (k in Tomamichel's notation): bits disclosed for estimation.</summary>
        public long SampleBits { get; init; }

        /// <summary>Total security parameter eps; each profile splits it as documented.</summary>
        public double Epsilon { get; init; } = 1e-10;

        /// <summary>A = fraction of detections not attributed to multi-photon events, in (0, 1].</summary>
        public double SinglePhotonFraction { get; init; } = 1.0;

        /// <summary>Fixed code rate R_c: leak = (1 - R_c) n. Exclusive with <see cref="LeakBits"/>.</summary>
        public double? CodeRate { get; init; }

        /// <summary>Bits actually disclosed by reconciliation and confirmation.</summary>
        public double? LeakBits { get; init; }

        public XiConvention Xi { get; init; } = XiConvention.Half;

        /// <summary>Correctness parameter (QD paper Table 1: 1e-15).</summary>
        public double EpsilonCorrect { get; init; } = 1e-15;

        /// <summary>Reconciliation efficiency assumed when neither a code rate nor a leak is given (QD Table 1).</summary>
        public const double DefaultEfficiency = 1.16;

        /// <summary>Refuses absurd input with a message that names the parameter and the allowed range.</summary>
        public void Validate()
        {
            if (double.IsNaN(Qber) || Qber < 0 || Qber >= 0.5)
                throw new ArgumentException($"QBER {Qber} is outside [0, 0.5): no key can be distilled at or above 50 %.");
            if (KeyBits <= 0) throw new ArgumentException($"n = {KeyBits} must be > 0 raw key bits.");
            if (SampleBits <= 0) throw new ArgumentException($"m = {SampleBits} must be > 0 estimation bits.");
            if (!(Epsilon > 0 && Epsilon < 1)) throw new ArgumentException($"eps = {Epsilon} must lie in (0, 1).");
            if (!(EpsilonCorrect > 0 && EpsilonCorrect < 1)) throw new ArgumentException($"eps_cor = {EpsilonCorrect} must lie in (0, 1).");
            if (!(SinglePhotonFraction > 0 && SinglePhotonFraction <= 1))
                throw new ArgumentException($"A = {SinglePhotonFraction} must lie in (0, 1].");
            if (CodeRate.HasValue && LeakBits.HasValue)
                throw new ArgumentException("Give either a code rate or a leak, not both.");
            if (CodeRate is double r && !(r > 0 && r < 1))
                throw new ArgumentException($"Code rate {r} must lie in (0, 1).");
            if (LeakBits is double leak && (double.IsNaN(leak) || leak < 0))
                throw new ArgumentException($"Leak {leak} bits must be >= 0.");
        }

        /// <summary>Reconciliation leak in bits: measured, from the code rate, or f_EC n h(Q).</summary>
        public double ReconciliationLeakBits(double defaultEfficiency = DefaultEfficiency)
        {
            if (LeakBits is double leak) return leak;
            if (CodeRate is double r) return (1 - r) * KeyBits;
            return defaultEfficiency * KeyBits * Entropy.Binary(Qber);
        }
    }
}
