using System.CommandLine;
using Qkd.Agent.Cli;
using Qkd.Agent.Reports;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd report DIR`: PNG plots (QBER, detection rate, key length vs block size, EOM trace if logged) and
/// summary.csv/summary.json from DIR/blocks.jsonl. Missing or corrupt log: exit 2 naming the line.
/// </summary>
internal sealed class ReportVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var dir = new Argument<string>("DIR") { Description = "Session folder holding blocks.jsonl (and optionally eom-trace.csv)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the plots and summaries (default: DIR)." };
        var command = new Command("report", "Plot a session (QBER, detection rate, key length, EOM drive) and write summary.csv/json.");
        command.Arguments.Add(dir);
        command.Options.Add(outDir);
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(dir)!;
            string logPath = Path.Combine(folder, SessionLog.FileName);
            try
            {
                if (!File.Exists(logPath))
                {
                    context.Error.WriteLine($"qkd report: no {SessionLog.FileName} in {folder}.");
                    return QkdCli.ExitBadInput;
                }
                var blocks = SessionLog.Read(logPath);
                string tracePath = Path.Combine(folder, EomTrace.FileName);
                var trace = File.Exists(tracePath) ? EomTrace.Read(tracePath) : null;
                var files = SessionReport.Write(blocks, trace, parse.GetValue(outDir) ?? folder);
                var summary = SessionSummary.Of(blocks);
                context.Out.WriteLine(FormattableString.Invariant(
                    $"{summary.Blocks} blocks, {summary.Pulses} pulses, {summary.Detections} detections, QBER {(summary.MeanQber is { } qber ? $"{qber * 100:0.00} %" : "not estimated")}, {summary.SecretKeyBits} secret bits."));
                foreach (var file in files) context.Out.WriteLine($"wrote {file}");
                return 0;
            }
            catch (SessionLogException ex)
            {
                context.Error.WriteLine($"qkd report: {ex.Message}");
                return QkdCli.ExitBadInput;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd report: {ex.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }
}
