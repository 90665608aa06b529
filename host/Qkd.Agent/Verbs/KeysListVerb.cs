using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Qkd.Agent.Cli;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd keys list`: the stored key blocks, their metadata and how much of each is left. Never key bits.</summary>
internal sealed class KeysListVerb : IVerb
{
    public string Group => "keys";

    public Command Build(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data folder holding keys.db.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var command = new Command("list", "List stored key blocks (session, block, QBER, profile, epsilon, bits left).");
        command.Options.Add(data);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            try
            {
                using var store = KeysCommon.OpenExisting(parse.GetValue(data)!, context.Error, "keys list");
                if (store is null) return QkdCli.ExitBadInput;
                var blocks = store.List();
                context.Out.WriteLine(parse.GetValue(json) ? ToJson(blocks) : ToText(blocks));
                return 0;
            }
            catch (Exception ex) when (ex is KeyStoreException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd keys list: {ex.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }

    private static string ToJson(IReadOnlyList<KeyBlockSummary> blocks)
    {
        var payload = new
        {
            blocks = blocks.Select(b => new
            {
                id = b.Id, session = b.Session, block = b.Block, qber = b.Qber, profile = b.Profile, epsilon = b.Epsilon,
                bitLength = b.BitLength, consumedBits = b.ConsumedBits, availableBits = b.AvailableBits,
                created = b.CreatedUtc.ToString("O", CultureInfo.InvariantCulture),
            }),
            totalBits = blocks.Sum(b => b.BitLength),
            availableBits = blocks.Sum(b => b.AvailableBits),
        };
        return JsonSerializer.Serialize(payload);
    }

    private static string ToText(IReadOnlyList<KeyBlockSummary> blocks)
    {
        if (blocks.Count == 0) return "No key blocks stored.";
        var lines = new List<string> { $"{"id",5} {"session",-20} {"block",7} {"qber",8} {"profile",-16} {"epsilon",9} {"bits",10} {"left",10}  created (UTC)" };
        foreach (var b in blocks)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{b.Id,5} {b.Session,-20} {b.Block,7} {b.Qber,8:0.0000} {b.Profile,-16} {b.Epsilon,9:0.0E0} {b.BitLength,10} {b.AvailableBits,10}  {b.CreatedUtc:yyyy-MM-dd HH:mm:ss}"));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{blocks.Count} block(s), {blocks.Sum(b => b.BitLength)} bits stored, {blocks.Sum(b => b.AvailableBits)} unconsumed."));
        return string.Join(Environment.NewLine, lines);
    }
}
