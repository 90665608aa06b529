using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.Agent.Sessions;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd run`: a QKD session with two boards (real over serial or TCP, or emulated), see Sessions/README.md.</summary>
internal sealed class RunVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var alice = new Option<string>("--alice") { Description = "Alice's board: serial port (COM3, /dev/ttyACM0), tcp://HOST:PORT, emulated, emulated:tcp or emulated:pty." };
        var bob = new Option<string>("--bob") { Description = "Bob's board, as --alice." };
        var boardAlice = new Option<string>("--board-alice") { Description = "Alice's board file (boards/*.json)." };
        var boardBob = new Option<string>("--board-bob") { Description = "Bob's board file." };
        var blocks = new Option<int?>("--blocks") { Description = "Blocks to complete (default 10; with --resume: the new total)." };
        var blockPulses = new Option<int>("--block-pulses") { Description = "Pulses per block.", DefaultValueFactory = _ => 100_000 };
        var data = new Option<string>("--data") { Description = "Session directory (raw blocks, blocks.jsonl, keys).", DefaultValueFactory = _ => "qkd-data" };
        var rngFile = new Option<string?>("--rng-file") { Description = "Take the random tables from this file instead of the OS CSPRNG." };
        var resume = new Option<string?>("--resume") { Description = "Continue the session in DIR after its last complete block." };
        var optics = new Option<string>("--optics") { Description = $"Optics behind emulated boards: {string.Join(", ", OpticsPresets.Names)}.", DefaultValueFactory = _ => "hbn-2023" };
        var reconciliation = new Option<string?>("--reconciliation") { Description = "Reconciler (default: the optics preset's)." };
        var profile = new Option<string?>("--profile") { Description = "Finite-key profile (default: the optics preset's)." };
        var json = new Option<bool>("--json") { Description = "No progress; the last line is one JSON summary." };
        var command = new Command("run", "Run a QKD session with Alice's and Bob's boards; raw data, journal and keys go to --data.");
        foreach (Option o in new Option[] { alice, bob, boardAlice, boardBob, blocks, blockPulses, data, rngFile, resume, optics, reconciliation, profile, json })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            SessionPlan plan;
            var resumeDirectory = parse.GetValue(resume);
            try
            {
                if (resumeDirectory is not null)
                {
                    plan = SessionPlan.Load(resumeDirectory);
                    plan = plan with { DataDirectory = resumeDirectory, Blocks = parse.GetValue(blocks) ?? plan.Blocks };
                }
                else
                {
                    string Required(Option<string> o) => parse.GetValue(o) ?? throw new ArgumentException($"{o.Name} is required (or --resume DIR)");
                    var directory = parse.GetValue(data)!;
                    if (File.Exists(SessionPlan.PlanPath(directory)) || File.Exists(Path.Combine(directory, Reports.SessionLog.FileName)))
                        throw new ArgumentException($"{directory} already holds a session: continue it with --resume {directory} or choose another --data");
                    Directory.CreateDirectory(directory);
                    plan = new SessionPlan
                    {
                        Alice = Required(alice), Bob = Required(bob),
                        BoardAlice = Path.GetFullPath(Required(boardAlice)), BoardBob = Path.GetFullPath(Required(boardBob)),
                        Blocks = parse.GetValue(blocks) ?? 10, BlockPulses = parse.GetValue(blockPulses),
                        RngFile = parse.GetValue(rngFile) is { } f ? Path.GetFullPath(f) : null,
                        Optics = parse.GetValue(optics)!, Reconciliation = parse.GetValue(reconciliation), Profile = parse.GetValue(profile),
                        DataDirectory = directory,
                    };
                    if (plan.Blocks < 1) throw new ArgumentException($"--blocks {plan.Blocks} must be at least 1");
                    plan.Save();
                }
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd run: {e.Message}");
                return QkdCli.ExitBadInput;
            }
            return SessionLauncher.Run(context, "run", plan, parse.GetValue(json));
        });
        return command;
    }
}
