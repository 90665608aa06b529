using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class PhotonSourceTests
{
    [Theory]
    [InlineData(0.012, 0.08)]
    [InlineData(0.292, 0.00698)]
    [InlineData(0.9, 0.5)]
    public void Single_photon_distribution_has_the_given_mean_and_g2(double mu, double g2)
    {
        var source = PhotonSource.SinglePhoton(mu, g2);
        double total = 0, mean = 0, pairs = 0;
        for (int n = 0; n <= 5; n++)
        {
            double p = source.ProbabilityOf(n);
            Assert.True(p >= 0);
            total += p;
            mean += n * p;
            pairs += n * (n - 1) * p;
        }
        Assert.Equal(1.0, total, 12);
        Assert.Equal(mu, mean, 12);
        Assert.Equal(g2, pairs / (mu * mu), 12);
        Assert.Equal(0, source.ProbabilityOf(3));
    }

    [Fact]
    public void Weak_coherent_pulses_are_poisson_with_g2_one()
    {
        var source = PhotonSource.WeakCoherent(0.5);
        double total = 0, mean = 0, pairs = 0;
        for (int n = 0; n <= 30; n++)
        {
            double p = source.ProbabilityOf(n);
            total += p;
            mean += n * p;
            pairs += n * (n - 1) * p;
        }
        Assert.Equal(1.0, total, 12);
        Assert.Equal(0.5, mean, 12);
        Assert.Equal(1.0, pairs / 0.25, 10);
        Assert.Equal(Math.Exp(-0.5) * 0.125 / 6, source.ProbabilityOf(3), 15);
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.3)]
    public void Probability_any_photon_kept_matches_the_distribution(double keep)
    {
        foreach (var source in new[] { PhotonSource.SinglePhoton(0.6, 0.3), PhotonSource.WeakCoherent(0.6) })
        {
            double none = 0;
            for (int n = 0; n <= 40; n++) none += source.ProbabilityOf(n) * Math.Pow(1 - keep, n);
            double expected = 1 - none;
            Assert.True(Math.Abs(expected - source.ProbabilityAnyKept(keep)) <= 1e-6 * expected + 1e-15,
                $"{source.Kind}: {source.ProbabilityAnyKept(keep)} vs {expected}");
        }
    }
}
