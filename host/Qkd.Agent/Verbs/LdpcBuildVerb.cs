using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd ldpc build`: a PEG-built parity-check matrix from a degree distribution, written as alist; with
/// `--qc Z` a quasi-cyclic code (QC-PEG placing Z x Z circulants) written in the `.qc` text format.
/// </summary>
internal sealed class LdpcBuildVerb : IVerb
{
    /// <summary>Largest code this verb builds: PEG cost grows with n times the edge count.</summary>
    private const int MaxColumns = 1_000_000;

    public string Group => "ldpc";

    public Command Build(CliContext context)
    {
        var rate = new Option<double>("--rate") { Description = "Code rate. 0.5 uses the hBN paper's distribution; other rates need --distribution.", Required = true };
        var n = new Option<int>("--n") { Description = "Code length (columns, bits per frame).", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "PEG tie-break seed: the same seed builds the same code.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output alist file.", Required = true };
        var distribution = new Option<string?>("--distribution")
        {
            Description = "Degree distribution file: lines 'lambda D FRACTION' and 'rho D FRACTION' (edge perspective, '#' comments).",
        };
        var liftingSize = new Option<int?>("--qc")
        {
            Description = $"Build a quasi-cyclic code with circulants of size Z (1..{QuasiCyclicPegBuilder.MaxLiftingSize}, --n a multiple of Z) and write the .qc text format.",
        };
        var command = new Command("build", "Build an LDPC code with progressive edge growth (Hu, Eleftheriou, Arnold 2005) and write it as alist (or .qc with --qc Z).");
        foreach (Option o in new Option[] { rate, n, seed, output, distribution, liftingSize }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var requestedRate = parse.GetValue(rate);
                var columns = parse.GetValue(n);
                if (!(requestedRate > 0 && requestedRate < 1)) throw new ArgumentException($"--rate must be in (0, 1), got {requestedRate}");
                if (columns < 16 || columns > MaxColumns) throw new ArgumentException($"--n must be in 16..{MaxColumns}, got {columns}");
                var distributionPath = parse.GetValue(distribution);
                DegreeDistribution chosen;
                if (distributionPath is null)
                {
                    if (Math.Abs(requestedRate - 0.5) > 1e-9)
                        throw new ArgumentException($"no built-in degree distribution for rate {requestedRate}: give --distribution FILE (built in: 0.5, the hBN paper's)");
                    chosen = DegreeDistribution.PaperRateHalf;
                }
                else
                {
                    if (!File.Exists(distributionPath)) throw new ArgumentException($"distribution file '{distributionPath}' does not exist");
                    chosen = DegreeDistribution.ReadFile(distributionPath);
                }
                if (Math.Abs(chosen.DesignRate - requestedRate) > 0.01)
                    throw new ArgumentException($"the distribution's design rate is {chosen.DesignRate:F4}, not --rate {requestedRate}");
                var watch = Stopwatch.StartNew();
                var outputPath = parse.GetValue(output)!;
                var z = parse.GetValue(liftingSize);
                if (z is { } lifting)
                {
                    if (lifting < 1 || lifting > QuasiCyclicPegBuilder.MaxLiftingSize)
                        throw new ArgumentException($"--qc must be in 1..{QuasiCyclicPegBuilder.MaxLiftingSize}, got {lifting}");
                    if (columns % lifting != 0) throw new ArgumentException($"--n {columns} is not a multiple of --qc {lifting}");
                    var code = QuasiCyclicPegBuilder.Build(chosen, columns, lifting, parse.GetValue(seed));
                    var buildMs = watch.ElapsedMilliseconds;
                    code.WriteFile(outputPath);
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{outputPath}: {code.Columns} columns, {code.Rows} checks, Z {code.LiftingSize}, {code.BaseRows} x {code.BaseColumns} base matrix, {code.Circulants} circulants ({(long)code.Circulants * code.LiftingSize} edges), design rate {1.0 - (double)code.Rows / code.Columns:F4}, built in {buildMs} ms"));
                    return 0;
                }
                var matrix = PegBuilder.Build(chosen.ToProfile(columns), parse.GetValue(seed));
                AlistFormat.WriteFile(outputPath, matrix);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{outputPath}: {matrix.Columns} columns, {matrix.Rows} checks, {matrix.Edges} edges, design rate {matrix.DesignRate:F4}, built in {watch.ElapsedMilliseconds} ms"));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd ldpc build: {e.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }
}
