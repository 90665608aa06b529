using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd reconcile`: LDPC reconciliation of two recorded strings. Bob's string is the reference: he sends
/// syndromes, Alice decodes and corrects hers; confirmed frames go to --out, concatenated.
/// </summary>
internal sealed class ReconcileVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var code = new Option<string>("--code") { Description = "An alist file (fixed code), or 'adaptive' (rate-adaptive: long QC frames + n = 10^4 remainder), 'adaptive-fast' (same, started for speed) or 'paper'.", Required = true };
        var alice = new Option<string>("--alice") { Description = "Alice's packed bits (LSB first).", Required = true };
        var bob = new Option<string>("--bob") { Description = "Bob's packed bits (LSB first).", Required = true };
        var bits = new Option<int>("--bits") { Description = "Number of bits to read from each file.", Required = true };
        var qber = new Option<double>("--qber") { Description = "Estimated QBER, in (0, 0.5).", Required = true };
        var output = new Option<string>("--out") { Description = "Output: confirmed frames, concatenated, packed bits.", Required = true };
        var decoder = new Option<string?>("--decoder") { Description = "spa (layered sum-product) or minsum (float layered offset min-sum). Default: spa for a fixed code, the 32-frame AVX2 8-bit min-sum for adaptive." };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Decoder iteration limit of a first attempt (default 60; 30 for adaptive with its default decoder)." };
        var codes = new Option<string?>("--codes") { Description = $"Directory of the adaptive families (rate-0.5.alist .. rate-0.9.alist and qc/rate-0.5.qc .. qc/rate-0.9.qc). Default: ${Reconcilers.CodesEnvironmentVariable} or ./codes." };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var command = new Command("reconcile", "Reconcile Alice's string to Bob's with LDPC syndromes (fixed code or rate-adaptive).");
        foreach (Option o in new Option[] { code, alice, bob, bits, qber, output, decoder, maxIterations, codes, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var q = parse.GetValue(qber);
                var n = parse.GetValue(bits);
                var iterations = parse.GetValue(maxIterations) ?? (parse.GetValue(code) is "adaptive" or "adaptive-fast" && parse.GetValue(decoder) is null ? 30 : 60);
                if (!(q > 0 && q < 0.5)) throw new ArgumentException($"--qber must be in (0, 0.5), got {q.ToString(CultureInfo.InvariantCulture)}");
                if (n <= 0) throw new ArgumentException($"--bits must be positive, got {n}");
                if (iterations is < 1 or > 10_000) throw new ArgumentException($"--max-iterations must be in 1..10000, got {iterations}");
                var reconciler = CreateReconciler(parse.GetValue(code)!, parse.GetValue(decoder), iterations, parse.GetValue(codes));
                if (n < reconciler.FrameBits)
                    throw new ArgumentException($"--bits {n} is less than one frame ({reconciler.FrameBits} bits): nothing to reconcile");
                var aliceBits = ReadBits(parse.GetValue(alice)!, n, "--alice");
                var bobBits = ReadBits(parse.GetValue(bob)!, n, "--bob");
                var watch = Stopwatch.StartNew();
                var result = reconciler.Reconcile(aliceBits, bobBits, q);
                var seconds = watch.Elapsed.TotalSeconds;
                result.Reconciled.WriteFile(parse.GetValue(output)!);
                context.Out.WriteLine(parse.GetValue(json) ? ToJson(reconciler, result, seconds) : ToText(reconciler, result, seconds));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd reconcile: {e.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }

    private static IReconciler CreateReconciler(string code, string? decoder, int maxIterations, string? codesDirectory)
    {
        Func<SparseParityCheckMatrix, ISyndromeDecoder>? factory = decoder switch
        {
            null => null,
            "spa" => h => new LayeredSumProductDecoder(h, maxIterations),
            "minsum" => h => new LayeredMinSumDecoder(h, maxIterations),
            _ => throw new ArgumentException($"--decoder must be spa or minsum, not '{decoder}'"),
        };
        if (codesDirectory is not null && !Directory.Exists(codesDirectory))
            throw new ArgumentException($"--codes directory '{codesDirectory}' does not exist");
        switch (code)
        {
            case "adaptive" or "adaptive-fast":
                // Without --decoder: long frames on the one-frame AVX2 QC min-sum, the rest on the 32-frame AVX2
                // 8-bit min-sum (portable / float min-sum where AVX2 is missing).
                var directory = codesDirectory ?? Reconcilers.FindCodesDirectory();
                return new RateAdaptiveReconciler(Reconcilers.LoadFamily(directory), factory, code, Reconcilers.LoadLongFamily(directory))
                {
                    LongSchedule = code == "adaptive-fast" ? RateAdaptiveReconciler.FastLongSchedule : RateAdaptiveReconciler.DefaultLongSchedule,
                    MaxIterations = maxIterations,
                };
            case "paper":
                code = Reconcilers.CodePath(codesDirectory ?? Reconcilers.FindCodesDirectory(), 0.5);
                break;
        }
        if (!File.Exists(code)) throw new ArgumentException($"code file '{code}' does not exist (or use --code adaptive)");
        var matrix = AlistFormat.ReadFile(code);
        return new FixedCodeReconciler(Path.GetFileName(code), matrix, factory ?? (h => new LayeredSumProductDecoder(h, maxIterations)));
    }

    private static BitVector ReadBits(string path, int bits, string option)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{option} file '{path}' does not exist");
        try
        {
            return BitVector.ReadFile(path, bits);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }

    private static string ToJson(IReconciler reconciler, ReconciliationResult r, double seconds) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"reconciler\":\"{reconciler.Name}\",\"frameBits\":{r.FrameBits},\"framesOk\":{r.FramesOk},\"framesFailed\":{r.FramesFailed},\"hashMismatches\":{r.HashMismatches}," +
        $"\"reconciledBits\":{r.Reconciled.Length},\"unusedBits\":{r.UnusedBits},\"leakBits\":{r.LeakBits},\"confirmationBits\":{r.ConfirmationBits}," +
        $"\"efficiency\":{Number(r.Efficiency)},\"meanIterations\":{Number(r.MeanIterations)},\"seconds\":{Number(seconds)}," +
        $"\"mbitPerS\":{Number(r.FramedBits / seconds / 1e6)}}}");

    private static string ToText(IReconciler reconciler, ReconciliationResult r, double seconds) => string.Create(CultureInfo.InvariantCulture,
        $"{reconciler.Name}: {r.FramesOk} frames ok, {r.FramesFailed} failed ({(r.FrameLengths is null ? $"{r.FrameBits} bits each" : $"{r.FramedBits} bits in all")}), {r.Reconciled.Length} bits written; " +
        $"leak {r.LeakBits} bits (+{r.ConfirmationBits} confirmation), efficiency {r.Efficiency:F3}, {r.MeanIterations:F1} iterations/frame, {seconds:F2} s");

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
}
