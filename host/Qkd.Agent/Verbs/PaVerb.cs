using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd pa`: Toeplitz privacy amplification of a packed bit file. Never prints key material.</summary>
internal sealed class PaVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var input = new Option<FileInfo>("--in") { Description = "Reconciled key, packed bits (LSB first).", Required = true };
        var bits = new Option<int>("--bits") { Description = "Input bits N to read from --in.", Required = true };
        var seed = new Option<FileInfo>("--seed") { Description = "Toeplitz seed file holding N + L - 1 bits.", Required = true };
        var outBits = new Option<int>("--out-bits") { Description = "Output bits L (0 < L <= N).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Output file for the L secret bits.", Required = true };
        var method = MethodOption();
        var command = new Command("pa", "Privacy amplification: Toeplitz hash of N bits down to L bits.");
        foreach (Option o in new Option[] { input, bits, seed, outBits, output, method }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(bits), l = parse.GetValue(outBits);
            FileInfo inFile = parse.GetValue(input)!, seedFile = parse.GetValue(seed)!, outFile = parse.GetValue(output)!;
            if (n <= 0) return Refuse(context, $"--bits {n} must be > 0.");
            if (l <= 0) return Refuse(context, $"--out-bits {l} must be > 0.");
            if (l > n) return Refuse(context, $"--out-bits {l} exceeds --bits {n}: privacy amplification only shortens.");
            if ((long)n + l - 1 > int.MaxValue) return Refuse(context, "N + L - 1 is too large.");
            if (string.Equals(outFile.FullName, inFile.FullName, StringComparison.Ordinal) ||
                string.Equals(outFile.FullName, seedFile.FullName, StringComparison.Ordinal))
                return Refuse(context, "--out must differ from --in and --seed (they would be overwritten).");
            try
            {
                var key = BitVector.ReadFile(inFile.FullName, n);
                int seedBits = ToeplitzHash.SeedBits(n, l);
                long seedBytes = ((long)seedBits + 7) / 8;
                if (!seedFile.Exists) return Refuse(context, $"Seed file '{seedFile.FullName}' does not exist.");
                // A seed of another length means the two parties disagree on N or L: refuse rather than use a prefix.
                if (seedFile.Length != seedBytes)
                    return Refuse(context, $"Seed file '{seedFile.FullName}' has {seedFile.Length} bytes; N + L - 1 = {seedBits} bits need exactly {seedBytes} bytes.");
                var toeplitzSeed = BitVector.ReadFile(seedFile.FullName, seedBits);
                var secret = new ToeplitzHash(method: parse.GetValue(method)).Hash(key, toeplitzSeed, l);
                string temp = outFile.FullName + ".tmp";
                secret.WriteFile(temp);
                File.Move(temp, outFile.FullName, overwrite: true);
                context.Out.WriteLine($"pa: {n} bits -> {l} bits written to {outFile.FullName}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                // Messages name files and lengths only, never bits.
                return Refuse(context, ex.Message);
            }
        });
        return command;
    }

    /// <summary>--method auto|karatsuba|ntt|additivefft, shared with `qkd bench pa`.</summary>
    internal static Option<ToeplitzMethod> MethodOption() => new("--method")
    {
        Description = "Toeplitz product: auto (the additive FFT over GF(2^64) where AVX2 and VPCLMULQDQ exist; otherwise Karatsuba below 2^10 input bits, NTT from there), karatsuba, ntt or additivefft.",
        DefaultValueFactory = _ => ToeplitzMethod.Auto,
    };

    private static int Refuse(CliContext context, string message)
    {
        context.Error.WriteLine($"qkd pa: {message}");
        return QkdCli.ExitBadInput;
    }
}
