using Qkd.DensityEvolution;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Tests;

/// <summary>
/// The density-evolution design tool (tools/Qkd.DensityEvolution) against published BSC thresholds. Each check runs the
/// evolution at two crossovers, one on either side of the threshold with a margin for the noise of a small population,
/// so a test costs a few runs instead of a bisection.
/// </summary>
public class LdpcDensityEvolutionTests
{
    private static readonly DegreeDistribution Regular36 = new(
        new Dictionary<int, double> { [3] = 1 }, new Dictionary<int, double> { [6] = 1 });

    private static PopulationDensityEvolution Evolution(DegreeDistribution distribution, DensityRule rule, int pool = 20_000,
        int iterations = 200, double punctured = 0, double shortened = 0) =>
        new(distribution, new DensitySettings
        {
            Rule = rule, PoolEdges = pool, Iterations = iterations, Punctured = punctured, Shortened = shortened,
        });

    [Fact]
    public void Sum_product_threshold_of_the_regular_3_6_ensemble_is_the_published_0_084()
    {
        var evolution = Evolution(Regular36, DensityRule.SumProduct);

        Assert.True(evolution.Run(0.080) > 0, "should converge at 0.080");
        Assert.True(evolution.Run(0.088) < 0, "should fail at 0.088");
    }

    [Fact]
    public void Sum_product_threshold_of_the_papers_rate_half_distribution_is_the_published_0_1071()
    {
        // Degrees up to 66 start slowly near the threshold: a pool below 5*10^4 edges stalls well below it.
        var evolution = Evolution(DegreeDistribution.PaperRateHalf, DensityRule.SumProduct, pool: 50_000, iterations: 150);

        Assert.True(evolution.Run(0.101) > 0, "should converge at 0.101");
        Assert.True(evolution.Run(0.113) < 0, "should fail at 0.113");
    }

    [Theory]
    [InlineData(DensityRule.SelfCorrected)]
    [InlineData(DensityRule.OffsetMinSum)]
    public void Eight_bit_min_sum_rules_decode_the_3_6_ensemble_but_not_above_the_sum_product_threshold(DensityRule rule)
    {
        // Sum-product is bitwise optimal on the tree, so no decoder (memory or not) converges above its threshold 0.084.
        // Measured with 10^5 edges, 100 iterations: self-corrected 0.0818, offset 0.0807.
        var evolution = Evolution(Regular36, rule, iterations: 100);

        Assert.True(evolution.Run(0.076) > 0, "should converge at 0.076");
        Assert.True(evolution.Run(0.0855) < 0, "should fail at 0.0855");
    }

    [Fact]
    public void Puncturing_raises_the_effective_rate_and_lowers_the_threshold_shortening_the_reverse()
    {
        var plain = Evolution(Regular36, DensityRule.OffsetMinSum, iterations: 60);
        var punctured = Evolution(Regular36, DensityRule.OffsetMinSum, iterations: 60, punctured: 0.1);
        var shortened = Evolution(Regular36, DensityRule.OffsetMinSum, iterations: 60, shortened: 0.1);

        Assert.Equal(0.5, plain.EffectiveRate, 12);
        Assert.Equal(0.5 / 0.9, punctured.EffectiveRate, 12);
        Assert.Equal(0.4 / 0.9, shortened.EffectiveRate, 12);
        Assert.True(plain.Run(0.070) > 0, "unpunctured should converge at 0.070");
        Assert.True(punctured.Run(0.070) < 0, "10 % punctured should fail at 0.070");
        Assert.True(plain.Run(0.092) < 0, "unshortened should fail at 0.092");
        Assert.True(shortened.Run(0.092) > 0, "10 % shortened should converge at 0.092");
    }

    [Fact]
    public void Modulation_on_one_degree_needs_enough_nodes_of_that_degree()
    {
        // (2, 3)-irregular: lambda_2 = lambda_3 = 0.5 gives node fractions 0.6 / 0.4.
        var mixed = new DegreeDistribution(new Dictionary<int, double> { [2] = 0.5, [3] = 0.5 }, new Dictionary<int, double> { [6] = 1 });
        DensitySettings On(int degree, double shortened) =>
            new() { Rule = DensityRule.OffsetMinSum, PoolEdges = 5_000, Iterations = 5, Shortened = shortened, ModulationDegree = degree };

        Assert.Throws<ArgumentException>(() => new PopulationDensityEvolution(mixed, On(3, 0.45)).Run(0.05));
        Assert.Throws<ArgumentException>(() => new PopulationDensityEvolution(mixed, On(4, 0.1)).Run(0.05));
        var error = Record.Exception(() => new PopulationDensityEvolution(mixed, On(3, 0.35)).Run(0.05));
        Assert.Null(error);
    }

    [Fact]
    public void Rejects_fractions_that_leave_no_unknown_bit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new PopulationDensityEvolution(Regular36, new DensitySettings { Punctured = 0.6, Shortened = 0.4 }));
    }
}
