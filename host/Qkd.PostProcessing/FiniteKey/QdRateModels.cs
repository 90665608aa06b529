namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>Asymptotic secret key rates per pulse from the QD paper, eqs 1-3 (for the planner).</summary>
    public static class QdRateModels
    {
        /// <summary>Eq. 1: weak coherent pulses without decoys, R = eta / e.</summary>
        public static double WeakCoherent(double eta)
        {
            RequireProbability(eta, nameof(eta));
            return eta / Math.E;
        }

        /// <summary>Eq. 2: single-photon source with mean photon number n and g2; pre-attenuated below eta_th.</summary>
        public static double SinglePhoton(double eta, double meanPhotons, double g2)
        {
            RequireProbability(eta, nameof(eta));
            if (!(meanPhotons > 0 && meanPhotons <= 1)) throw new ArgumentException($"<n> = {meanPhotons} must lie in (0, 1].");
            if (!(g2 > 0 && g2 <= 1)) throw new ArgumentException($"g2 = {g2} must lie in (0, 1].");
            if (eta > EtaThreshold(meanPhotons, g2))
                return meanPhotons * eta - 0.5 * g2 * meanPhotons * meanPhotons * (eta * eta + 1);
            return eta * eta / (2 * g2 * (eta * eta + 1));
        }

        /// <summary>eta_th = (1 - sqrt(1 - 4 (g2 n)^2)) / (2 g2 n).</summary>
        public static double EtaThreshold(double meanPhotons, double g2)
        {
            double x = g2 * meanPhotons;
            return (1 - Math.Sqrt(1 - 4 * x * x)) / (2 * x);
        }

        /// <summary>Eq. 3: at zero loss the SPS can beat WCP only if n &gt;= 1/e and g2 &lt;= e/4.</summary>
        public static bool SinglePhotonCanBeatCoherentAtZeroLoss(double meanPhotons, double g2) =>
            meanPhotons >= 1 / Math.E && g2 <= Math.E / 4;

        /// <summary>Total transmission: 10^(-loss/10) times optics and detector efficiencies.</summary>
        public static double Transmission(double channelLossDb, double opticsEfficiency, double detectorEfficiency) =>
            Math.Pow(10, -channelLossDb / 10) * opticsEfficiency * detectorEfficiency;

        private static void RequireProbability(double p, string name)
        {
            if (!(p > 0 && p <= 1)) throw new ArgumentException($"{name} = {p} must lie in (0, 1].");
        }
    }
}
