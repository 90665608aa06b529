using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Named reconciliation variants, for the pipeline and the CLI:
/// "paper" = the hBN paper's fixed rate-0.5 code (codes/rate-0.5.alist) with layered sum-product;
/// "adaptive" (default) = the rate-adaptive blind scheme: long frames on the quasi-cyclic family codes/qc/rate-0.5 ..
/// rate-0.9.qc (n = 10^5, rates 0.75-0.85 n = 102 400; Z = 32; 90 000-bit frames; one-frame AVX2 min-sum) for the bulk of a block, the remainder on
/// codes/rate-0.5 .. rate-0.9.alist (n = 10^4, 32-frame AVX2 min-sum); rates in steps of 0.05;
/// long frames at planned QBER up to 2.5 % are decoded by the float sum-product (<see cref="QuasiCyclicSumProductDecoder"/>);
/// "adaptive-fast" = the same with start efficiencies chosen for speed (<see cref="RateAdaptiveReconciler.FastLongSchedule"/>) and
/// the min-sum at every QBER.
/// </summary>
public static class Reconcilers
{
    public const string Default = "adaptive";

    /// <summary>Environment variable naming the directory with the shipped codes/*.alist.</summary>
    public const string CodesEnvironmentVariable = "QKD_CODES";

    /// <summary>Mother code rates of the adaptive family, one file each: rate-R.alist.</summary>
    public static IReadOnlyList<double> FamilyRates { get; } = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

    /// <summary>Fraction of each short mother code's columns used for puncturing/shortening.</summary>
    public const double ModulationFraction = 0.1;

    /// <summary>
    /// Payload bits of a long frame: every long (quasi-cyclic) mother code uses its other columns for puncturing/shortening,
    /// 10 000 of n = 100 000, and 12 400 of n = 102 400 for the rate-0.75, 0.8 and 0.85 codes, so that these cover rates
    /// 0.72-0.85, 0.77-0.91 and 0.83-0.97: 1-4 % QBER is served by a nearly fully shortened or moderately punctured code
    /// (docs/benchmarks/reconciliation.md, "High-rate codes").
    /// </summary>
    public const int LongFrameBits = 90_000;

    public static IReadOnlyList<string> Names { get; } = ["adaptive", "adaptive-fast", "paper"];

    public static IReconciler Create(string name, string? codesDirectory = null)
    {
        var directory = codesDirectory ?? FindCodesDirectory();
        return name switch
        {
            "paper" => new FixedCodeReconciler("paper", AlistFormat.ReadFile(CodePath(directory, 0.5)), h => new LayeredSumProductDecoder(h)),
            "adaptive" => new RateAdaptiveReconciler(LoadFamily(directory), longCodes: LoadLongFamily(directory)),
            "adaptive-fast" => new RateAdaptiveReconciler(LoadFamily(directory), name: "adaptive-fast", longCodes: LoadLongFamily(directory))
            {
                LongSchedule = RateAdaptiveReconciler.FastLongSchedule,
                // Speed first: the 8-bit min-sum at every QBER (the precise decoder costs several times its CPU).
                PreciseDecoderMaxQber = -1,
            },
            _ => throw new ArgumentException($"unknown reconciler '{name}': known are {string.Join(", ", Names)}"),
        };
    }

    public static MotherCode[] LoadFamily(string directory) => FamilyRates
        .Select(rate => AlistFormat.ReadFile(CodePath(directory, rate)))
        .Select(h => new MotherCode(h, (int)Math.Round(ModulationFraction * h.Columns)))
        .ToArray();

    /// <summary>The long quasi-cyclic family, codes/qc/rate-R.qc, same rates as the short one, <see cref="LongFrameBits"/> per frame.</summary>
    public static MotherCode[] LoadLongFamily(string directory)
    {
        var paths = FamilyRates.Select(rate => LongCodePath(directory, rate)).ToArray();
        foreach (var path in paths)
            if (!File.Exists(path)) throw new FileNotFoundException($"long code family: '{path}' is missing (codes/qc/rate-R.qc)", path);
        var lengthErrors = new string?[paths.Length];
        var codes = new MotherCode[paths.Length];
        // Lifting and the puncturing order take a while at n = 10^5: load the nine codes in parallel.
        Parallel.For(0, codes.Length, i =>
        {
            var code = QuasiCyclicCode.ReadFile(paths[i]);
            // The columns beyond a frame are the modulation bits: there must be some, and fewer than N - m.
            if (code.Columns <= LongFrameBits || code.Rows >= LongFrameBits)
                lengthErrors[i] = $"long code family: '{paths[i]}' has {code.Columns} columns and {code.Rows} checks; {LongFrameBits}-bit frames need more columns than that and fewer checks";
            else
                codes[i] = new MotherCode(code, code.Columns - LongFrameBits);
        });
        var error = lengthErrors.FirstOrDefault(e => e is not null);
        if (error is not null) throw new InvalidDataException(error);
        return codes;
    }

    public static string LongCodePath(string directory, double rate) =>
        Path.Combine(directory, "qc", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rate-{rate:0.0#}.qc"));

    public static string CodePath(string directory, double rate) =>
        Path.Combine(directory, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rate-{rate:0.0#}.alist"));

    /// <summary>
    /// $QKD_CODES, else the first "codes" directory holding rate-0.5.alist found walking up from the current
    /// directory or from the application's directory.
    /// </summary>
    public static string FindCodesDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(CodesEnvironmentVariable);
        if (!string.IsNullOrEmpty(configured)) return configured;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "codes");
                if (File.Exists(Path.Combine(candidate, "rate-0.5.alist"))) return candidate;
            }
        }
        throw new FileNotFoundException($"no codes directory with rate-0.5.alist found; set {CodesEnvironmentVariable} or run from the repository");
    }
}
