using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd ldpc fer`: Monte-Carlo frame error rate of one code (.qc or alist) under syndrome decoding on a BSC,
/// with the 8-bit 32-frame min-sum decoder; one line (or JSON line) per QBER. Exit 3: the CPU lacks AVX2.
/// </summary>
internal sealed class LdpcFerVerb : IVerb
{
    public const int ExitNoAvx2 = 3;

    public string Group => "ldpc";

    public Command Build(CliContext context)
    {
        var code = new Option<string>("--code") { Description = "Code file: .qc (quasi-cyclic text format) or alist.", Required = true };
        var qber = new Option<string>("--qber") { Description = "QBER of the BSC, in (0, 0.5); a comma-separated list runs each.", Required = true };
        var frames = new Option<int>("--frames") { Description = "Frames to decode per QBER (batches of 32).", DefaultValueFactory = _ => 320 };
        var punctured = new Option<int>("--punctured") { Description = "Punctured columns (LLR 0), drawn from the seed.", DefaultValueFactory = _ => 0 };
        var shortened = new Option<int>("--shortened") { Description = "Shortened columns (known to both), drawn from the seed.", DefaultValueFactory = _ => 0 };
        var iterations = new Option<int>("--iterations") { Description = "Decoder iteration limit.", DefaultValueFactory = _ => 50 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the frames and of the punctured/shortened columns.", DefaultValueFactory = _ => 1 };
        var decoder = new Option<string>("--decoder")
        {
            Description = "int8 (the reconciler's 8-bit 32-frame offset min-sum, AVX2), qc-int8 (the reconciler's 8-bit one-frame quasi-cyclic decoder, .qc only), qc-sum-product (the reconciler's float layered sum-product for long frames at low QBER, .qc with Z = 32), min-sum (float layered) or sum-product (float layered).",
            DefaultValueFactory = _ => "int8",
        };
        var offset = new Option<float>("--offset") { Description = "int8 decoder: offset in LLR units (the reconciler uses 1).", DefaultValueFactory = _ => 1f };
        var scale = new Option<float>("--scale") { Description = "int8 decoder: quantisation steps per LLR unit (the reconciler uses 2).", DefaultValueFactory = _ => 2f };
        var checkUpdate = new Option<string>("--check-update")
        {
            Description = "qc-int8 decoder: offset (offset min-sum) or self-corrected (self-corrected min-sum, Savin 2008).",
            DefaultValueFactory = _ => "offset",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON line per QBER." };
        var command = new Command("fer", "Measure a code's frame error rate and efficiency on a BSC (8-bit layered min-sum, 32 frames per batch).");
        foreach (Option o in new Option[] { code, qber, frames, punctured, shortened, iterations, seed, decoder, offset, scale, checkUpdate, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var qbers = ParseQbers(parse.GetValue(qber)!);
                var frameCount = parse.GetValue(frames);
                if (frameCount < 1 || frameCount > 10_000_000) throw new ArgumentException($"--frames must be in 1..10000000, got {frameCount}");
                var limit = parse.GetValue(iterations);
                if (limit < 1 || limit > 10_000) throw new ArgumentException($"--iterations must be in 1..10000, got {limit}");
                var path = parse.GetValue(code)!;
                if (!File.Exists(path)) throw new ArgumentException($"code file '{path}' does not exist");
                var decoderName = parse.GetValue(decoder)!;
                var chosen = decoderName switch
                {
                    "int8" => FerDecoder.Int8MinSum,
                    "qc-int8" => FerDecoder.QuasiCyclicInt8,
                    "min-sum" => FerDecoder.FloatMinSum,
                    "sum-product" => FerDecoder.SumProduct,
                    "qc-sum-product" => FerDecoder.QuasiCyclicSumProduct,
                    _ => throw new ArgumentException($"unknown --decoder '{decoderName}': int8, qc-int8, qc-sum-product, min-sum or sum-product"),
                };
                var rule = parse.GetValue(checkUpdate) switch
                {
                    "offset" => CheckUpdate.OffsetMinSum,
                    "self-corrected" => CheckUpdate.SelfCorrected,
                    var other => throw new ArgumentException($"unknown --check-update '{other}': offset or self-corrected"),
                };
                if (!(parse.GetValue(scale) > 0 && parse.GetValue(scale) <= 32)) throw new ArgumentException("--scale must be in (0, 32]");
                if (!(parse.GetValue(offset) >= 0 && parse.GetValue(offset) <= 16)) throw new ArgumentException("--offset must be in [0, 16]");
                var (matrix, quasiCyclic) = ReadCode(path);
                if (chosen == FerDecoder.QuasiCyclicInt8 && quasiCyclic is null)
                    throw new ArgumentException("--decoder qc-int8 needs a .qc code file");
                if (chosen == FerDecoder.QuasiCyclicSumProduct && (quasiCyclic is null || !QuasiCyclicSumProductDecoder.Supports(quasiCyclic)))
                    throw new ArgumentException("--decoder qc-sum-product needs a .qc code file with Z = 32");
                if (chosen == FerDecoder.Int8MinSum && !QuantizedMinSumBatchDecoder.IsSupported)
                {
                    context.Error.WriteLine("qkd ldpc fer: the 8-bit batch decoder needs a CPU with AVX2");
                    return ExitNoAvx2;
                }
                var experiment = new FrameErrorRateExperiment(matrix, parse.GetValue(punctured), parse.GetValue(shortened), parse.GetValue(seed))
                {
                    MaxIterations = limit,
                    Decoder = chosen,
                    Int8Offset = parse.GetValue(offset),
                    Int8Scale = parse.GetValue(scale),
                    QuasiCyclic = quasiCyclic,
                    CheckUpdate = rule,
                };
                foreach (var q in qbers)
                {
                    var watch = Stopwatch.StartNew();
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var result = experiment.Run(q, frameCount);
                    var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                    context.Out.WriteLine(parse.GetValue(json)
                        ? ToJson(path, matrix, parse.GetValue(punctured), parse.GetValue(shortened), decoderName, parse.GetValue(offset), parse.GetValue(scale), parse.GetValue(checkUpdate)!, limit, q, result, watch.Elapsed.TotalMilliseconds, cpuMs)
                        : ToText(path, q, result));
                }
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd ldpc fer: {e.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }

    private static double[] ParseQbers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException("--qber needs at least one value");
        return parts.Select(p =>
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) || !(q > 0 && q < 0.5))
                throw new ArgumentException($"--qber value '{p}' is not a number in (0, 0.5)");
            return q;
        }).ToArray();
    }

    /// <summary>A `.qc` file starts with its magic line; anything else is read as alist.</summary>
    private static (SparseParityCheckMatrix Matrix, QuasiCyclicCode? QuasiCyclic) ReadCode(string path)
    {
        string? first;
        using (var reader = new StreamReader(path)) first = reader.ReadLine();
        if (first?.Trim() != "qc-ldpc") return (AlistFormat.ReadFile(path), null);
        var code = QuasiCyclicCode.ReadFile(path);
        return (code.ToMatrix(), code);
    }

    private static string ToText(string path, double q, FrameErrorRateResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{path}: QBER {q:0.####}: {r.FramesFailed} of {r.Frames} frames failed (FER {r.FrameErrorRate:0.####}, {r.Undetected} undetected), f {r.Efficiency:F3}, mean iterations {r.MeanIterations:F1}");

    private static string ToJson(string path, SparseParityCheckMatrix h, int punctured, int shortened, string decoder, float offset, float scale, string checkUpdateName, int iterations, double q,
        FrameErrorRateResult r, double wallMs, double cpuMs) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"code\":\"{JsonEscape(path)}\",\"columns\":{h.Columns},\"rows\":{h.Rows},\"rate\":{1.0 - (double)h.Rows / h.Columns:0.######},\"punctured\":{punctured},\"shortened\":{shortened},\"decoder\":\"{decoder}\",\"offset\":{offset},\"scale\":{scale},\"checkUpdate\":\"{checkUpdateName}\",\"iterations\":{iterations},\"qber\":{q:0.######},\"frames\":{r.Frames},\"framesFailed\":{r.FramesFailed},\"undetected\":{r.Undetected},\"fer\":{r.FrameErrorRate:0.######},\"efficiency\":{r.Efficiency:0.####},\"meanIterations\":{r.MeanIterations:0.##},\"wallMs\":{wallMs:0},\"cpuMs\":{cpuMs:0}}}");

    private static string JsonEscape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
