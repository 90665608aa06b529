using Qkd.Agent.KeySink;
using System.Globalization;
using System.Text.Json;
using Qkd.Agent.Boards;
using Qkd.Agent.Cli;
using Qkd.Agent.RawData;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.TwoParty;
using Qkd.PostProcessing.Reconciliation;
using Spectre.Console;

namespace Qkd.Agent.Sessions;

/// <summary>Everything a session needs, as `qkd run` stores it in DIR/session.json for `--resume`.</summary>
public sealed record SessionPlan
{
    public required string Alice { get; init; }
    public required string Bob { get; init; }
    public required string BoardAlice { get; init; }
    public required string BoardBob { get; init; }
    public int Blocks { get; init; }
    public long RawKeyBits { get; init; }
    public int BlockPulses { get; init; } = 100_000;
    public string? RngFile { get; init; }
    public int? Seed { get; init; }
    public string Optics { get; init; } = "hbn-2023";
    public string? Reconciliation { get; init; }
    public string? Profile { get; init; }
    public required string DataDirectory { get; init; }
    public string? RawDirectory { get; init; }

    public static string PlanPath(string directory) => Path.Combine(directory, "session.json");

    public void Save() => DurableFile.WriteAllBytes(PlanPath(DataDirectory), JsonSerializer.SerializeToUtf8Bytes(this, new JsonSerializerOptions { WriteIndented = true }));

    public static SessionPlan Load(string directory)
    {
        var path = PlanPath(directory);
        try
        {
            return JsonSerializer.Deserialize<SessionPlan>(File.ReadAllBytes(path)) ?? throw new InvalidDataException("empty session file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
        {
            throw new ArgumentException($"cannot resume from {directory}: {path}: {e.Message}");
        }
    }
}

/// <summary>
/// Runs a <see cref="SessionPlan"/> for `qkd run` and `qkd simulate`: opens the boards, runs the
/// session with progress (Spectre.Console) or quietly for --json, prints the summary. Exit codes:
/// 0 ok, 2 bad input, 3 boards unreachable or the session could not recover, 4 random source failed
/// (health test or RNG file exhausted), 5 Alice's and Bob's keys differed in some block (not stored).
/// </summary>
internal static class SessionLauncher
{
    public const int ExitBoardFault = 3;
    public const int ExitRandomFailure = 4;
    public const int ExitKeysDiffer = 5;

    public static int Run(CliContext context, string verb, SessionPlan plan, bool json, int? crashAfterRawBlocks = null)
    {
        BoardFile aliceBoard, bobBoard;
        OpticsPresets.Preset preset;
        IReconciler aliceReconciler, bobReconciler;
        try
        {
            aliceBoard = BoardFile.Load(plan.BoardAlice);
            bobBoard = BoardFile.Load(plan.BoardBob);
            if (aliceBoard.Role != Boards.BoardRole.Alice) throw new ArgumentException($"{plan.BoardAlice} is not an Alice board");
            if (bobBoard.Role != Boards.BoardRole.Bob) throw new ArgumentException($"{plan.BoardBob} is not a Bob board");
            preset = OpticsPresets.Get(plan.Optics);
            aliceReconciler = Reconcilers.Create(plan.Reconciliation ?? preset.Reconciler);
            bobReconciler = Reconcilers.Create(plan.Reconciliation ?? preset.Reconciler);
            KeyLengthProfiles.Get(plan.Profile ?? preset.Profile);
            if (plan.BlockPulses is < 1000 or > 400_000_000) throw new ArgumentException($"--block-pulses {plan.BlockPulses} must lie in 1000..4e8");
        }
        catch (Exception e) when (e is BoardFileException or ArgumentException or IOException)
        {
            context.Error.WriteLine($"qkd {verb}: {e.Message}");
            return QkdCli.ExitBadInput;
        }

        IRandomSource rng;
        try
        {
            rng = plan.RngFile is not null ? new FileRandomSource(plan.RngFile)
                : plan.Seed is { } seed ? new SeededRandomSource(seed) : new SystemRandomSource();
        }
        catch (RandomSourceException e)
        {
            context.Error.WriteLine($"qkd {verb}: {e.Message}");
            return QkdCli.ExitBadInput;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out), Interactive = InteractionSupport.No });
        console.Profile.Width = Math.Max(console.Profile.Width, 160); // one line per block, also when redirected
        using (rng)
        {
            BoardSet boards;
            try
            {
                boards = BoardSet.Open(plan.Alice, plan.Bob, aliceBoard, bobBoard, plan.BlockPulses, preset.Create, (ulong)(plan.Seed ?? Environment.TickCount));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or ArgumentException or UriFormatException)
            {
                context.Error.WriteLine($"qkd {verb}: cannot open the boards: {e.Message}");
                return ExitBoardFault;
            }
            using (boards)
            using (var keyStores = new PartyKeyStores(plan.DataDirectory))
            using (var postProcessor = new BlockPostProcessor(aliceReconciler, bobReconciler, new TwoPartyOptions { Profile = plan.Profile ?? preset.Profile }))
            {
                RawDataDirectory? saveRaw;
                try
                {
                    saveRaw = plan.RawDirectory is null ? null
                        : File.Exists(Path.Combine(plan.RawDirectory, RawDataDirectory.SessionFile)) ? RawDataDirectory.Open(plan.RawDirectory) // resume: same session id
                        : RawDataDirectory.Create(plan.RawDirectory, new RawSession { Preset = plan.Optics, BoardAlice = aliceBoard.Name, BoardBob = bobBoard.Name });
                }
                catch (Exception e) when (e is RawDataException or IOException or UnauthorizedAccessException)
                {
                    context.Error.WriteLine($"qkd {verb}: --save-raw: {e.Message}");
                    return QkdCli.ExitBadInput;
                }
                var runner = new SessionRunner(boards.Alice, boards.Bob, aliceBoard, bobBoard, rng, new HealthTests(),
                    postProcessor, new FileRawBlockSink(Path.Combine(plan.DataDirectory, "raw")), keyStores,
                    new BlockJournal(Path.Combine(plan.DataDirectory, Reports.SessionLog.FileName)), new DiscardLog(Path.Combine(plan.DataDirectory, "discarded.jsonl")),
                    new SessionSettings
                    {
                        Blocks = plan.Blocks, RawKeyBitsTarget = plan.RawKeyBits, BlockPulses = plan.BlockPulses, CrashAfterRawBlocks = crashAfterRawBlocks,
                        SessionId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(plan.DataDirectory))),
                        Profile = plan.Profile ?? preset.Profile,
                    }, saveRaw);
                if (!json)
                {
                    console.MarkupLine($"[bold]qkd {verb}[/]: Alice {Markup.Escape(plan.Alice)} ({Markup.Escape(aliceBoard.Name)}), Bob {Markup.Escape(plan.Bob)} ({Markup.Escape(bobBoard.Name)}), " +
                                       $"{plan.BlockPulses:N0} pulses per block, tables from {Markup.Escape(rng.Description)}" +
                                       (BoardSet.IsEmulated(plan.Alice) ? $", optics {Markup.Escape(preset.Description)}" : ""));
                    console.MarkupLine($"data in {Markup.Escape(plan.DataDirectory)}");
                    runner.BlockProcessed += o =>
                    {
                        var s = runner.Summary;
                        console.MarkupLine($"block {o.BlockId,4}: {o.Detections,9:N0} detections, QBER {Percent(o.Qber)}, {o.SecretKeyBits,7:N0} key bits" +
                                           $"  | total {s.Blocks} blocks, {s.Detections:N0} detections, QBER {Percent(s.Qber)}, raw {s.RawKeyBits:N0}, key {s.SecretKeyBits:N0} bits" +
                                           (o.KeysMatch ? "" : "  [red]keys differ: not stored[/]"));
                    };
                    runner.BlockDiscarded += (id, reason) => console.MarkupLine($"[yellow]block {id} discarded: {Markup.Escape(reason)}[/]");
                    runner.Warning += text => console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
                }
                SessionSummary summary;
                try
                {
                    summary = runner.Run();
                }
                catch (HealthTestFailureException e)
                {
                    context.Error.WriteLine($"qkd {verb}: session stopped: {e.Message}. Blocks measured so far are kept in {plan.DataDirectory}.");
                    return ExitRandomFailure;
                }
                catch (RandomSourceException e)
                {
                    context.Error.WriteLine($"qkd {verb}: session stopped: {e.Message}. Blocks measured so far are kept in {plan.DataDirectory}.");
                    return ExitRandomFailure;
                }
                catch (Exception e) when (e is BoardFaultException or BoardRefusedException or InvalidOperationException)
                {
                    context.Error.WriteLine($"qkd {verb}: session stopped: {e.Message}. Blocks measured so far are kept; continue with `qkd run --resume {plan.DataDirectory}`.");
                    return ExitBoardFault;
                }
                PrintSummary(context, console, summary, json);
                return summary.KeysMatch ? 0 : ExitKeysDiffer;
            }
        }
    }

    private static string Percent(double v) => double.IsFinite(v) ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "n/a";

    private static void PrintSummary(CliContext context, IAnsiConsole console, SessionSummary s, bool json)
    {
        string F(double v) => double.IsFinite(v) ? v.ToString("0.######", CultureInfo.InvariantCulture) : "null";
        if (json)
        {
            context.Out.WriteLine($"{{\"blocks\":{s.Blocks},\"discardedBlocks\":{s.DiscardedBlocks},\"pulses\":{s.Pulses},\"detections\":{s.Detections}," +
                                  $"\"siftedBits\":{s.SiftedBits},\"rawKeyBits\":{s.RawKeyBits},\"qber\":{F(s.Qber)},\"secretKeyBits\":{s.SecretKeyBits}," +
                                  $"\"keysMatch\":{(s.KeysMatch ? "true" : "false")},\"seconds\":{F(s.Seconds)}}}");
            return;
        }
        var table = new Table().AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.AddRow("blocks", $"{s.Blocks} ({s.DiscardedBlocks} discarded)");
        table.AddRow("pulses", s.Pulses.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("detections", s.Detections.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("sifted bits", s.SiftedBits.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("raw key bits", s.RawKeyBits.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("QBER", Percent(s.Qber));
        table.AddRow("secret key bits", s.SecretKeyBits.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("keys match", s.KeysMatch ? "yes" : "[red]NO[/]");
        table.AddRow("seconds", s.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
