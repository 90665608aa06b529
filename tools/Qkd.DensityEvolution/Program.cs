using System.Globalization;
using Qkd.DensityEvolution;
using Qkd.PostProcessing.Ldpc;

// qkd-de threshold DIST [options]            threshold p* and efficiency f* of a .dist file (or regular:DV,DC)
// qkd-de optimize --rate R --start DIST [options] [--rounds N] [--out FILE]
// options: --rule sum-product|offset|self-corrected  --punctured P  --shortened S  --pool EDGES  --iterations T
//          --steps K (bisection halvings)  --offset B  --seed N  --efficiency F (lowest f searched from)
//          --target-error E (error fraction that counts as converged; 0 = none in the pool)
//          --modulation-degree D (puncture/shorten only variable nodes of degree D; 0 = all degrees)
try
{
    if (args.Length < 1) return Usage();
    var options = Options.Parse(args.Skip(1).ToArray(), out var positional);
    var settings = new DensitySettings
    {
        Rule = options.Get("rule", "sum-product") switch
        {
            "sum-product" => DensityRule.SumProduct,
            "offset" => DensityRule.OffsetMinSum,
            "self-corrected" => DensityRule.SelfCorrected,
            var other => throw new ArgumentException($"unknown rule '{other}'"),
        },
        Punctured = options.Number("punctured", 0),
        Shortened = options.Number("shortened", 0),
        PoolEdges = (int)options.Number("pool", 100_000),
        Iterations = (int)options.Number("iterations", 200),
        Offset = (float)options.Number("offset", 0.5),
        Seed = (ulong)options.Number("seed", 1),
        TargetError = options.Number("target-error", 0),
        ModulationDegree = (int)options.Number("modulation-degree", 0),
    };
    var steps = (int)options.Number("steps", 12);
    switch (args[0])
    {
        case "threshold":
        {
            if (positional.Count != 1) return Usage();
            var evolution = new PopulationDensityEvolution(Load(positional[0]), settings);
            var target = 1 - evolution.EffectiveRate;
            var low = PopulationDensityEvolution.InverseBinaryEntropy(target / options.Number("efficiency", 2.0));
            var threshold = evolution.Threshold(low, PopulationDensityEvolution.InverseBinaryEntropy(target), steps);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"design rate {evolution.Distribution.DesignRate:F5}  effective rate {evolution.EffectiveRate:F5}  threshold p* {threshold:F5}  f* {evolution.EfficiencyAt(threshold):F4}"));
            return 0;
        }
        case "trace":
        {
            if (positional.Count != 2) return Usage();
            var evolution = new PopulationDensityEvolution(Load(positional[0]), settings);
            var trace = new List<double>();
            var converged = evolution.Run(double.Parse(positional[1], CultureInfo.InvariantCulture), trace);
            Console.WriteLine(string.Join(" ", trace.Select(e => e.ToString("G3", CultureInfo.InvariantCulture))));
            Console.WriteLine(converged > 0 ? $"converged at iteration {converged}" : "not converged");
            return 0;
        }
        case "optimize":
        {
            var rate = options.Number("rate", double.NaN);
            if (double.IsNaN(rate) || !options.Has("start")) return Usage();
            var start = Load(options.Get("start", ""));
            var lambda = start.VariableDegrees.Zip(start.VariableFractions).ToDictionary(p => p.First, p => p.Second);
            var search = new DistributionSearch(rate, settings, (int)options.Number("seeds", 1), steps, Console.WriteLine);
            var (best, efficiency) = search.Climb(lambda, (int)options.Number("rounds", 4), options.Number("step", 0.02));
            var result = DistributionSearch.WithRate(best, rate);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best f* {efficiency:F4}"));
            var text = $"# density-evolution design (tools/Qkd.DensityEvolution): rule {options.Get("rule", "sum-product")}, punctured {settings.Punctured}, shortened {settings.Shortened}, f* {efficiency.ToString("F4", CultureInfo.InvariantCulture)}\n"
                + result.ToString();
            if (options.Has("out")) File.WriteAllText(options.Get("out", ""), text);
            else Console.WriteLine(text);
            return 0;
        }
        default:
            return Usage();
    }
}
catch (Exception error) when (error is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: qkd-de threshold DIST|regular:DV,DC [--rule sum-product|offset|self-corrected] [--punctured P] [--shortened S] [--pool EDGES] [--iterations T] [--steps K] [--offset B] [--seed N] [--target-error E] [--modulation-degree D]");
    Console.Error.WriteLine("       qkd-de trace DIST|regular:DV,DC CROSSOVER [same options]   (error fraction per iteration)");
    Console.Error.WriteLine("       qkd-de optimize --rate R --start DIST [same options] [--rounds N] [--step S] [--seeds N] [--out FILE]");
    return 2;
}

static DegreeDistribution Load(string source)
{
    if (!source.StartsWith("regular:", StringComparison.Ordinal)) return DegreeDistribution.ReadFile(source);
    var parts = source["regular:".Length..].Split(',');
    if (parts.Length != 2) throw new ArgumentException("regular:DV,DC expected");
    return new DegreeDistribution(new Dictionary<int, double> { [int.Parse(parts[0], CultureInfo.InvariantCulture)] = 1 },
        new Dictionary<int, double> { [int.Parse(parts[1], CultureInfo.InvariantCulture)] = 1 });
}

internal sealed class Options
{
    private readonly Dictionary<string, string> _values = [];

    public static Options Parse(string[] args, out List<string> positional)
    {
        var options = new Options();
        positional = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(args[i]);
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            options._values[args[i][2..]] = args[++i];
        }
        return options;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public double Number(string name, double fallback) =>
        _values.TryGetValue(name, out var text)
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : fallback;
}
