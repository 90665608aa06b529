using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd keys export`: consumes the next N key bits and writes them, packed LSB-first, to a new owner-only
/// file. Not enough key: exit 3 and nothing consumed.
/// </summary>
internal sealed class KeysExportVerb : IVerb
{
    public string Group => "keys";

    public Command Build(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data folder holding keys.db.", Required = true };
        var bits = new Option<int>("--bits") { Description = "Key bits to hand out (consumed: never handed out again).", Required = true };
        var output = new Option<string>("--out") { Description = "New file for the key bits, packed LSB-first (ceil(N/8) bytes).", Required = true };
        var command = new Command("export", "Hand out the next N key bits to a file (consumes them).");
        foreach (Option o in new Option[] { data, bits, output }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            const string verb = "keys export";
            int count = parse.GetValue(bits);
            string path = parse.GetValue(output)!;
            if (count <= 0)
            {
                context.Error.WriteLine($"qkd {verb}: --bits must be positive, not {count}.");
                return QkdCli.ExitBadInput;
            }
            if (KeysCommon.CheckOutput(path) is { } problem)
            {
                context.Error.WriteLine($"qkd {verb}: {problem} Nothing was consumed.");
                return QkdCli.ExitBadInput;
            }
            return KeysCommon.Run(context, verb, () =>
            {
                using var store = KeysCommon.OpenExisting(parse.GetValue(data)!, context.Error, verb);
                if (store is null) return QkdCli.ExitBadInput;
                KeyExport? export = null;
                // The file exists (as a temporary) before the key is consumed, so an unwritable path costs no key.
                KeysCommon.WriteSecretFile(path, stream =>
                {
                    export = store.Export(count);
                    stream.Write(export.Bits);
                    KeysCommon.Zero(export.Bits);
                });
                context.Out.WriteLine($"Exported {export!.BitLength} key bits to {path} from {KeysCommon.Describe(export.Ranges)}.");
                return 0;
            });
        });
        return command;
    }
}
