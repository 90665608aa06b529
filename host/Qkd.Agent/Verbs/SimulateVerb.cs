using System.CommandLine;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.Agent.Sessions;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd simulate`: the whole chain on emulated boards (real firmware on the device models, the emulated
/// hardware-timed engine, the optics preset), a session over the real link, post-processing per block.
/// Each run gets its own session directory under --data.
/// </summary>
internal sealed class SimulateVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var preset = new Option<string>("--preset") { Description = $"Optics preset: {string.Join(", ", OpticsPresets.Names)}.", DefaultValueFactory = _ => "hbn-2023" };
        var rawBits = new Option<long>("--raw-bits") { Description = "Raw key bits to measure (sifted minus the estimation sample).", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<int?>("--seed") { Description = "Seed for the tables and the optics (reproducible run; tables not from the CSPRNG)." };
        var data = new Option<string>("--data") { Description = "Data directory; the run goes to DATA/sim-<time>.", DefaultValueFactory = _ => "qkd-data" };
        var saveRaw = new Option<string?>("--save-raw") { Description = "Write each block's Alice half and Bob half here (offline post-processing)." };
        var blockPulses = new Option<int>("--block-pulses") { Description = "Pulses per block (the finite-key block: larger blocks keep more key).", DefaultValueFactory = _ => 400_000_000 };
        var reconciliation = new Option<string?>("--reconciliation") { Description = "Reconciler (default: the preset's)." };
        var profile = new Option<string?>("--profile") { Description = "Finite-key profile (default: the preset's)." };
        var boardAlice = new Option<string?>("--board-alice") { Description = "Alice's board file (default boards/alice-esp32.json)." };
        var boardBob = new Option<string?>("--board-bob") { Description = "Bob's board file (default boards/bob-esp32.json)." };
        var json = new Option<bool>("--json") { Description = "No progress; the last line is one JSON summary." };
        var command = new Command("simulate", "Run BB84 end to end on emulated boards and yield a secret key.");
        foreach (Option o in new Option[] { preset, rawBits, seed, data, saveRaw, blockPulses, reconciliation, profile, boardAlice, boardBob, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            SessionPlan plan;
            try
            {
                var bits = parse.GetValue(rawBits);
                if (bits < 1) throw new ArgumentException($"--raw-bits {bits} must be positive");
                OpticsPresets.Get(parse.GetValue(preset)!);
                var directory = Path.Combine(parse.GetValue(data)!, "sim-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture));
                Directory.CreateDirectory(directory);
                plan = new SessionPlan
                {
                    Alice = "emulated", Bob = "emulated",
                    BoardAlice = parse.GetValue(boardAlice) ?? FindBoard("alice-esp32.json"),
                    BoardBob = parse.GetValue(boardBob) ?? FindBoard("bob-esp32.json"),
                    RawKeyBits = bits, BlockPulses = parse.GetValue(blockPulses), Seed = parse.GetValue(seed),
                    Optics = parse.GetValue(preset)!, Reconciliation = parse.GetValue(reconciliation), Profile = parse.GetValue(profile),
                    DataDirectory = directory, RawDirectory = parse.GetValue(saveRaw),
                };
                plan.Save();
                EomDriveTrace.Write(plan.BoardAlice, directory);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd simulate: {e.Message}");
                return QkdCli.ExitBadInput;
            }
            return SessionLauncher.Run(context, "simulate", plan, parse.GetValue(json));
        });
        return command;
    }

    /// <summary>The repository's boards/ folder, from the working directory or the tool's own location upwards.</summary>
    private static string FindBoard(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "boards", name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new ArgumentException($"boards/{name} not found from here: give --board-alice and --board-bob");
    }
}
