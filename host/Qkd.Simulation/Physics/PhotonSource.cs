namespace Qkd.Simulation.Physics;

/// <summary>Which photon-number statistics a <see cref="PhotonSource"/> emits.</summary>
public enum PhotonSourceKind
{
    /// <summary>Single-photon source: p0, p1, p2 from the mean photon number and g2(0); no 3+ photons.</summary>
    SinglePhoton,

    /// <summary>Attenuated laser (weak coherent pulses): Poisson photon number, g2(0) = 1.</summary>
    WeakCoherent,
}

/// <summary>
/// Photon-number distribution per pulse at the source. Single-photon model (README): with mean mu and
/// g2 = sum n(n-1) p_n / mu^2 and nothing above two photons, p2 = g2 mu^2 / 2, p1 = mu - g2 mu^2,
/// p0 = 1 - p1 - p2. Weak coherent pulses: p_n = e^-mu mu^n / n!.
/// </summary>
public sealed class PhotonSource
{
    private PhotonSource(PhotonSourceKind kind, double meanPhotonNumber, double g2)
    {
        Kind = kind;
        MeanPhotonNumber = meanPhotonNumber;
        G2 = g2;
    }

    public PhotonSourceKind Kind { get; }

    /// <summary>Mean photon number per pulse, mu.</summary>
    public double MeanPhotonNumber { get; }

    /// <summary>Second-order correlation at zero delay, g2(0).</summary>
    public double G2 { get; }

    /// <summary>Single-photon source; needs 0 &lt; mu &lt;= 1 and 0 &lt;= g2 with g2 mu &lt;= 1 (so p1 &gt;= 0).</summary>
    public static PhotonSource SinglePhoton(double meanPhotonNumber, double g2)
    {
        if (!(meanPhotonNumber > 0 && meanPhotonNumber <= 1))
            throw new ArgumentOutOfRangeException(nameof(meanPhotonNumber), meanPhotonNumber, "a single-photon source needs a mean photon number in (0, 1]");
        if (!(g2 >= 0 && g2 * meanPhotonNumber <= 1))
            throw new ArgumentOutOfRangeException(nameof(g2), g2, "g2(0) must be >= 0 and g2 * mu <= 1 (else p1 < 0); use WeakCoherent for a laser");
        return new PhotonSource(PhotonSourceKind.SinglePhoton, meanPhotonNumber, g2);
    }

    /// <summary>Weak coherent pulses (Poisson), 0 &lt; mu &lt;= 50.</summary>
    public static PhotonSource WeakCoherent(double meanPhotonNumber)
    {
        if (!(meanPhotonNumber > 0 && meanPhotonNumber <= 50))
            throw new ArgumentOutOfRangeException(nameof(meanPhotonNumber), meanPhotonNumber, "weak coherent pulses need a mean photon number in (0, 50]");
        return new PhotonSource(PhotonSourceKind.WeakCoherent, meanPhotonNumber, 1.0);
    }

    /// <summary>Probability of exactly <paramref name="photons"/> photons in one pulse.</summary>
    public double ProbabilityOf(int photons)
    {
        if (photons < 0) return 0;
        double mu = MeanPhotonNumber;
        if (Kind == PhotonSourceKind.WeakCoherent)
        {
            double logP = -mu + photons * Math.Log(mu);
            for (int k = 2; k <= photons; k++) logP -= Math.Log(k);
            return Math.Exp(logP);
        }
        double p2 = G2 * mu * mu / 2, p1 = mu - 2 * p2;
        return photons switch { 0 => 1 - p1 - p2, 1 => p1, 2 => p2, _ => 0 };
    }

    /// <summary>
    /// Probability that at least one photon of the pulse is kept when each is kept independently with
    /// probability <paramref name="keep"/> (linear loss is binomial thinning): 1 - E[(1-keep)^N],
    /// written so it stays accurate for tiny <paramref name="keep"/>.
    /// </summary>
    public double ProbabilityAnyKept(double keep)
    {
        double mu = MeanPhotonNumber;
        if (Kind == PhotonSourceKind.WeakCoherent) return -PreciseMath.ExpMinusOne(-mu * keep);
        double p2 = G2 * mu * mu / 2, p1 = mu - 2 * p2;
        return p1 * keep + p2 * keep * (2 - keep);
    }
}
