using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd otp encrypt`: one-time-pads a file with the next stored key bits (consumed). The output's header
/// names the key ranges, so the peer's `qkd otp decrypt` takes exactly the same bits from its own store.
/// </summary>
internal sealed class OtpEncryptVerb : IVerb
{
    public string Group => "otp";

    public Command Build(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data folder holding keys.db.", Required = true };
        var input = new Option<string>("--in") { Description = "File to encrypt.", Required = true };
        var output = new Option<string>("--out") { Description = "New encrypted file (QKDOTP header + padded bytes).", Required = true };
        var command = new Command("encrypt", "One-time-pad a file with stored key (consumes 8 key bits per byte).");
        foreach (Option o in new Option[] { data, input, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            const string verb = "otp encrypt";
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            return KeysCommon.Run(context, verb, () =>
            {
                byte[] plain = File.ReadAllBytes(inPath);
                if (plain.Length == 0 || (long)plain.Length * 8 > int.MaxValue)
                {
                    context.Error.WriteLine($"qkd {verb}: {inPath} has {plain.Length} bytes; 1 .. {int.MaxValue / 8} can be padded.");
                    return QkdCli.ExitBadInput;
                }
                if (KeysCommon.CheckOutput(outPath) is { } problem)
                {
                    context.Error.WriteLine($"qkd {verb}: {problem} Nothing was consumed.");
                    return QkdCli.ExitBadInput;
                }
                using var store = KeysCommon.OpenExisting(parse.GetValue(data)!, context.Error, verb);
                if (store is null) return QkdCli.ExitBadInput;
                KeyExport? pad = null;
                KeysCommon.WriteSecretFile(outPath, stream =>
                {
                    pad = store.Export(plain.Length * 8);
                    OtpFormat.Xor(plain, pad.Bits);
                    KeysCommon.Zero(pad.Bits);
                    OtpFormat.Write(stream, pad.Ranges, plain);
                });
                context.Out.WriteLine($"Encrypted {plain.Length} bytes to {outPath} with {pad!.BitLength} key bits from {KeysCommon.Describe(pad.Ranges)}.");
                return 0;
            });
        });
        return command;
    }
}
