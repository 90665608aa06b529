using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd otp decrypt`: takes exactly the key ranges named in a QKDOTP header from this side's store
/// (consuming them) and removes the pad. Refuses, consuming nothing, if any of those bits is missing or
/// already consumed here.
/// </summary>
internal sealed class OtpDecryptVerb : IVerb
{
    public string Group => "otp";

    public Command Build(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data folder holding keys.db.", Required = true };
        var input = new Option<string>("--in") { Description = "QKDOTP file to decrypt.", Required = true };
        var output = new Option<string>("--out") { Description = "New file for the plaintext.", Required = true };
        var command = new Command("decrypt", "Remove a one-time pad using the same key bits from this store (consumes them).");
        foreach (Option o in new Option[] { data, input, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            const string verb = "otp decrypt";
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            return KeysCommon.Run(context, verb, () =>
            {
                try
                {
                    IReadOnlyList<KeyRange> ranges;
                    byte[] payload;
                    using (var stream = File.OpenRead(inPath)) (ranges, payload) = OtpFormat.Read(stream);
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
                        pad = store.TakeExactly(ranges);
                        OtpFormat.Xor(payload, pad.Bits);
                        KeysCommon.Zero(pad.Bits);
                        stream.Write(payload);
                    });
                    context.Out.WriteLine($"Decrypted {payload.Length} bytes to {outPath} with key bits {KeysCommon.Describe(ranges)}.");
                    if (pad!.DiscardedBits > 0)
                        context.Out.WriteLine($"Discarded {pad.DiscardedBits} unconsumed key bits ordered before them (already used by the sender) to stay in step.");
                    return 0;
                }
                catch (InvalidDataException ex)
                {
                    context.Error.WriteLine($"qkd {verb}: {inPath}: {ex.Message}");
                    return QkdCli.ExitBadInput;
                }
            });
        });
        return command;
    }
}
