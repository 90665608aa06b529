using System.Globalization;
using System.Text;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// An edge-perspective degree distribution pair (lambda for variables, rho for checks): the coefficient of
/// x^(d-1) is the fraction of edges on nodes of degree d (Richardson-Urbanke notation).
/// <para>File format (text, one entry per line, '#' starts a comment): <c>lambda D FRACTION</c> or
/// <c>rho D FRACTION</c>. Fractions of each polynomial are normalised to sum 1.</para>
/// </summary>
public sealed class DegreeDistribution
{
    public DegreeDistribution(IReadOnlyDictionary<int, double> lambda, IReadOnlyDictionary<int, double> rho)
    {
        VariableDegrees = Normalise(lambda, "lambda", out var lambdaFractions);
        VariableFractions = lambdaFractions;
        CheckDegrees = Normalise(rho, "rho", out var rhoFractions);
        CheckFractions = rhoFractions;
    }

    /// <summary>Variable degrees, ascending, and their edge fractions lambda_d.</summary>
    public int[] VariableDegrees { get; }

    public double[] VariableFractions { get; }

    /// <summary>Check degrees, ascending, and their edge fractions rho_d.</summary>
    public int[] CheckDegrees { get; }

    public double[] CheckFractions { get; }

    /// <summary>Design rate 1 - (sum rho_d/d) / (sum lambda_d/d).</summary>
    public double DesignRate => 1.0 - InverseMean(CheckDegrees, CheckFractions) / InverseMean(VariableDegrees, VariableFractions);

    /// <summary>
    /// The rate-0.5 distribution of the hBN paper (qkd-math.md), BSC threshold 0.1071.
    /// </summary>
    public static DegreeDistribution PaperRateHalf { get; } = new(
        new Dictionary<int, double>
        {
            [2] = 0.14438, [3] = 0.19026, [4] = 0.01836, [5] = 0.00233, [6] = 0.04697, [8] = 0.053943,
            [9] = 0.05590, [10] = 0.01290, [11] = 0.00162, [14] = 0.06159, [15] = 0.13115, [17] = 0.01481,
            [47] = 0.00879, [49] = 0.00650, [55] = 0.00210, [56] = 0.00099, [57] = 0.11178, [58] = 0.06238,
            [59] = 0.05094, [66] = 0.02230,
        },
        new Dictionary<int, double> { [10] = 0.47575, [12] = 0.46847, [13] = 0.02952, [14] = 0.02626 });

    /// <summary>
    /// Node degrees for a code of <paramref name="columns"/> variables: variable counts from lambda_d/d
    /// (largest remainder rounding), checks from rho so the two edge totals are equal, check degrees
    /// nudged by one where rounding requires it.
    /// </summary>
    public DegreeProfile ToProfile(int columns)
    {
        if (columns < 4) throw new ArgumentOutOfRangeException(nameof(columns), "a code needs at least 4 columns");
        var variableCounts = Apportion(VariableDegrees, VariableFractions, columns);
        var variableDegrees = new int[columns];
        long edges = 0;
        var v = 0;
        for (var i = 0; i < VariableDegrees.Length; i++)
        {
            for (var k = 0; k < variableCounts[i]; k++) variableDegrees[v++] = VariableDegrees[i];
            edges += (long)variableCounts[i] * VariableDegrees[i];
        }
        var rows = (int)Math.Round(edges * InverseMean(CheckDegrees, CheckFractions));
        if (rows < 1 || rows >= columns)
            throw new ArgumentException($"the distribution gives {rows} checks for {columns} columns: not a code");
        var checkCounts = Apportion(CheckDegrees, CheckFractions, rows);
        var checkDegrees = new int[rows];
        long checkEdges = 0;
        var c = 0;
        for (var i = 0; i < CheckDegrees.Length; i++)
        {
            for (var k = 0; k < checkCounts[i]; k++) checkDegrees[c++] = CheckDegrees[i];
            checkEdges += (long)checkCounts[i] * CheckDegrees[i];
        }
        // Rounding leaves the check side a few edges off: move the nearest degrees by one, lowest first when adding.
        var difference = edges - checkEdges;
        for (var i = 0; difference != 0; i = (i + 1) % rows)
        {
            if (difference > 0) { checkDegrees[i]++; difference--; }
            else { checkDegrees[rows - 1 - i]--; difference++; }
        }
        Array.Sort(checkDegrees);
        if (checkDegrees[0] < 2) throw new ArgumentException("the distribution needs check degrees of at least 2");
        return new DegreeProfile(variableDegrees, checkDegrees);
    }

    public static DegreeDistribution Parse(TextReader reader, string source = "distribution")
    {
        var lambda = new Dictionary<int, double>();
        var rho = new Dictionary<int, double>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var hash = line.IndexOf('#');
            var text = (hash >= 0 ? line[..hash] : line).Trim();
            if (text.Length == 0) continue;
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
                throw new FormatException($"{source}, line {lineNumber}: expected 'lambda|rho DEGREE FRACTION'");
            var target = parts[0].ToLowerInvariant() switch
            {
                "lambda" => lambda,
                "rho" => rho,
                _ => throw new FormatException($"{source}, line {lineNumber}: '{parts[0]}' is neither lambda nor rho"),
            };
            if (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var degree) || degree < 1 || degree > 10000)
                throw new FormatException($"{source}, line {lineNumber}: degree '{parts[1]}' is not an integer in 1..10000");
            if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || !(fraction >= 0 && fraction <= 1))
                throw new FormatException($"{source}, line {lineNumber}: fraction '{parts[2]}' is not a number in [0, 1]");
            if (target.ContainsKey(degree))
                throw new FormatException($"{source}, line {lineNumber}: degree {degree} listed twice for {parts[0]}");
            target[degree] = fraction;
        }
        if (lambda.Count == 0 || rho.Count == 0)
            throw new FormatException($"{source}: needs at least one lambda and one rho line");
        try
        {
            return new DegreeDistribution(lambda, rho);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }

    public static DegreeDistribution ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader, path);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < VariableDegrees.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"lambda {VariableDegrees[i]} {VariableFractions[i]:R}\n");
        for (var i = 0; i < CheckDegrees.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"rho {CheckDegrees[i]} {CheckFractions[i]:R}\n");
        return text.ToString();
    }

    private static int[] Normalise(IReadOnlyDictionary<int, double> polynomial, string name, out double[] fractions)
    {
        var degrees = polynomial.Where(p => p.Value > 0).Select(p => p.Key).OrderBy(d => d).ToArray();
        if (degrees.Length == 0) throw new ArgumentException($"{name} has no positive coefficient");
        if (degrees[0] < 1) throw new ArgumentException($"{name} has a degree below 1");
        var sum = degrees.Sum(d => polynomial[d]);
        fractions = degrees.Select(d => polynomial[d] / sum).ToArray();
        return degrees;
    }

    private static double InverseMean(int[] degrees, double[] fractions)
    {
        var sum = 0.0;
        for (var i = 0; i < degrees.Length; i++) sum += fractions[i] / degrees[i];
        return sum;
    }

    /// <summary>Node counts proportional to fraction_d / d, summing to <paramref name="total"/>.</summary>
    private static int[] Apportion(int[] degrees, double[] fractions, int total)
    {
        var inverseMean = InverseMean(degrees, fractions);
        var counts = new int[degrees.Length];
        var remainders = new double[degrees.Length];
        var assigned = 0;
        for (var i = 0; i < degrees.Length; i++)
        {
            var exact = total * (fractions[i] / degrees[i]) / inverseMean;
            counts[i] = (int)Math.Floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        var order = Enumerable.Range(0, degrees.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).ToArray();
        for (var k = 0; assigned < total; k++, assigned++) counts[order[k % order.Length]]++;
        return counts;
    }
}

/// <summary>Node degrees of a code to build: one entry per variable (column) and per check (row).</summary>
public sealed record DegreeProfile(int[] VariableDegrees, int[] CheckDegrees)
{
    public int Columns => VariableDegrees.Length;

    public int Rows => CheckDegrees.Length;

    public long Edges => VariableDegrees.Sum(d => (long)d);
}
