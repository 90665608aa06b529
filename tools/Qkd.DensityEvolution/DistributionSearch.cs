using System.Globalization;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.DensityEvolution;

/// <summary>
/// Hill-climbing over a small parametrisation: lambda on a few variable degrees, rho concentrated on the two consecutive
/// check degrees that give the design rate. Each candidate is scored by its density-evolution efficiency threshold
/// f* = (1 - R_eff) / h(p*) under the given settings (puncturing and shortening included), lower is better.
/// </summary>
public sealed class DistributionSearch(double designRate, DensitySettings settings, int seeds = 1, int steps = 9, Action<string>? log = null)
{
    /// <summary>rho on checks of degree d and d + 1 so that the design rate is <paramref name="rate"/>.</summary>
    public static DegreeDistribution WithRate(IReadOnlyDictionary<int, double> lambda, double rate)
    {
        var total = lambda.Values.Sum();
        var inverseVariable = lambda.Sum(pair => pair.Value / total / pair.Key);
        var inverseCheck = (1 - rate) * inverseVariable; // sum rho_d / d
        var meanCheck = 1 / inverseCheck;
        var low = (int)Math.Floor(meanCheck);
        // rho_low / low + (1 - rho_low) / (low + 1) = inverseCheck
        var rhoLow = (inverseCheck - 1.0 / (low + 1)) / (1.0 / low - 1.0 / (low + 1));
        var rho = new Dictionary<int, double> { [low] = rhoLow };
        if (rhoLow < 1 - 1e-9) rho[low + 1] = 1 - rhoLow;
        return new DegreeDistribution(lambda.ToDictionary(p => p.Key, p => p.Value / total), rho);
    }

    /// <summary>Mean threshold efficiency over <c>seeds</c> populations (seeds Seed, Seed + 1, ...).</summary>
    public double Score(IReadOnlyDictionary<int, double> lambda)
    {
        var distribution = WithRate(lambda, designRate);
        var total = 0.0;
        for (var i = 0; i < seeds; i++)
        {
            var evolution = new PopulationDensityEvolution(distribution, settings with { Seed = settings.Seed + (ulong)i });
            total += evolution.EfficiencyAt(evolution.Threshold(1.6, steps));
        }
        return total / seeds;
    }

    /// <summary>Climbs from <paramref name="start"/> for at most <paramref name="rounds"/> rounds of single moves.</summary>
    public (Dictionary<int, double> Lambda, double Efficiency) Climb(IReadOnlyDictionary<int, double> start, int rounds, double step = 0.02)
    {
        var best = new Dictionary<int, double>(start);
        var bestScore = Score(best);
        log?.Invoke($"start {Format(best)} f* {bestScore:F4}");
        for (var round = 0; round < rounds; round++)
        {
            var improved = false;
            foreach (var candidate in Neighbours(best, step))
            {
                var score = Score(candidate);
                if (score >= bestScore - 1e-4) continue;
                (best, bestScore, improved) = (candidate, score, true);
                log?.Invoke($"round {round}: {Format(best)} f* {bestScore:F4}");
            }
            if (!improved)
            {
                if (step <= 0.005) break;
                step /= 2;
            }
        }
        return (best, bestScore);
    }

    /// <summary>Moves: a share of edges from one degree to another; the largest degree and the middle ones one up or down.</summary>
    private static IEnumerable<Dictionary<int, double>> Neighbours(Dictionary<int, double> lambda, double step)
    {
        var degrees = lambda.Keys.OrderBy(d => d).ToArray();
        foreach (var from in degrees)
        {
            foreach (var to in degrees)
            {
                if (from == to || lambda[from] < step + 0.01) continue;
                var moved = new Dictionary<int, double>(lambda);
                moved[from] -= step;
                moved[to] += step;
                yield return moved;
            }
        }
        for (var i = 0; i < degrees.Length; i++)
        {
            if (degrees[i] <= 3) continue;
            foreach (var delta in new[] { -1, 1 })
            {
                var degree = degrees[i] + delta;
                if (lambda.ContainsKey(degree) || degree <= 3) continue;
                var moved = new Dictionary<int, double>(lambda);
                moved.Remove(degrees[i]);
                moved[degree] = lambda[degrees[i]];
                yield return moved;
            }
        }
    }

    public static string Format(IReadOnlyDictionary<int, double> lambda) =>
        string.Join(" ", lambda.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.Value:F3}")));
}
