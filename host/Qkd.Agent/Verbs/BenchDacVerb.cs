using Qkd.Agent.Sessions;
using System.CommandLine;
using System.Globalization;
using Qkd.Agent.Boards;
using Qkd.Agent.Cli;
using Qkd.Firmware.Bench;
using Qkd.Firmware.Roles;
using Qkd.Simulation.Emulation;
using Qkd.Simulation.Trace;
using Qkd.Wire;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd bench dac`: the DAC/MUX/EOM timing bench. --emulated runs the firmware's bench routine on the
/// emulated board and writes DIR/bench.json, DIR/trace.vcd and DIR/bench.png; --port runs it on a real
/// board over the wire link and writes DIR/bench.json with the board's own timings. Exit codes: 0 measured
/// (in time or not: see feasibleAtRate), 2 bad input or board file, 3 serial link failed or timed out,
/// 4 the board answered with an Error.
/// </summary>
internal sealed class BenchDacVerb : IVerb
{
    private const uint MaxEmulatedRepeats = 20;

    public string Group => "bench";

    public Command Build(CliContext context)
    {
        var emulated = new Option<bool>("--emulated") { Description = "Run on the emulated board (device models, virtual time)." };
        var port = new Option<string?>("--port") { Description = "Serial port of a real board (e.g. /dev/ttyUSB0, COM5)." };
        var board = new Option<string>("--board") { Description = "Board file (boards/*.json).", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory.", DefaultValueFactory = _ => "." };
        var rate = new Option<uint>("--rate") { Description = "Transition rate in Hz (the pulse clock to test).", DefaultValueFactory = _ => 500_000 };
        var repeats = new Option<uint>("--repeats") { Description = "Repetitions of each transition.", DefaultValueFactory = _ => 1 };
        var slew = new Option<double>("--slew") { Description = "Emulated HV amplifier slew limit, V/us.", DefaultValueFactory = _ => 150.0 };
        var bandwidth = new Option<double>("--bandwidth") { Description = "Emulated HV amplifier bandwidth, Hz.", DefaultValueFactory = _ => 1.0e6 };
        var muxNs = new Option<long>("--mux-ns") { Description = "Emulated MUX36D04 break-before-make time, ns.", DefaultValueFactory = _ => 100 };
        var tolerance = new Option<double>("--tolerance") { Description = "Retardance tolerance for 'settled', rad.", DefaultValueFactory = _ => 0.05 };
        var margin = new Option<long>("--pulse-margin") { Description = "The optical pulse passes the EOM this long before the next trigger, ns.", DefaultValueFactory = _ => 40 };
        var baud = new Option<int>("--baud") { Description = "Serial baud rate of the board's host UART.", DefaultValueFactory = _ => 921_600 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the board's BenchReport.", DefaultValueFactory = _ => 60 };
        var command = new Command("dac", "DAC/MUX/EOM settling per channel transition, emulated or on a real board.");
        foreach (Option o in new Option[] { emulated, port, board, output, rate, repeats, slew, bandwidth, muxNs, tolerance, margin, baud, timeout }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var portName = parse.GetValue(port);
                if (parse.GetValue(emulated) == (portName is not null))
                    throw new ArgumentException("give exactly one of --emulated and --port PORT");
                var hz = parse.GetValue(rate);
                var runs = parse.GetValue(repeats);
                if (hz is 0 or > BenchRoutine.MaxRateHz) throw new ArgumentException($"--rate must be in 1..{BenchRoutine.MaxRateHz} Hz, got {hz}");
                if (runs is 0 or > BenchRoutine.MaxRepeats) throw new ArgumentException($"--repeats must be in 1..{BenchRoutine.MaxRepeats}, got {runs}");
                if (portName is null && runs > MaxEmulatedRepeats)
                    throw new ArgumentException($"--repeats must be at most {MaxEmulatedRepeats} when emulated: the emulation is deterministic, more repeats add only time");
                var boardFile = BoardFile.Load(parse.GetValue(board)!);
                var directory = parse.GetValue(output)!;
                Directory.CreateDirectory(directory);
                return portName is null
                    ? RunEmulated(context, boardFile, directory, hz, runs, Options(parse, slew, bandwidth, muxNs, tolerance, margin, runs))
                    : RunOnBoard(context, boardFile, directory, portName, parse.GetValue(baud), hz, runs, parse.GetValue(timeout));
            }
            catch (BoardFileException e)
            {
                context.Error.WriteLine($"qkd bench dac: {e.Message}");
                return QkdCli.ExitBadInput;
            }
            catch (RoleException e)
            {
                context.Error.WriteLine($"qkd bench dac: the firmware refused the board: {e.Message}");
                return QkdCli.ExitBadInput;
            }
            catch (BenchDacLinkException e)
            {
                context.Error.WriteLine($"qkd bench dac: {e.Message}");
                return e.ExitCode;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"qkd bench dac: {e.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }

    private static BenchBoardOptions Options(ParseResult parse, Option<double> slew, Option<double> bandwidth, Option<long> muxNs,
        Option<double> tolerance, Option<long> margin, uint repeats)
    {
        var options = new BenchBoardOptions
        {
            SlewVoltsPerUs = parse.GetValue(slew),
            BandwidthHz = parse.GetValue(bandwidth),
            MuxTransitionNs = parse.GetValue(muxNs),
            ToleranceRad = parse.GetValue(tolerance),
            PulseMarginNs = parse.GetValue(margin),
            Repeats = repeats,
        };
        if (!(options.SlewVoltsPerUs > 0 && options.SlewVoltsPerUs <= 1e5)) throw new ArgumentException($"--slew must be in (0, 1e5] V/us, got {Text(options.SlewVoltsPerUs)}");
        if (!(options.BandwidthHz > 0 && options.BandwidthHz <= 1e10)) throw new ArgumentException($"--bandwidth must be in (0, 1e10] Hz, got {Text(options.BandwidthHz)}");
        if (options.MuxTransitionNs is < 0 or > 1_000_000) throw new ArgumentException($"--mux-ns must be in 0..1000000, got {options.MuxTransitionNs}");
        if (!(options.ToleranceRad > 0 && options.ToleranceRad < Math.PI)) throw new ArgumentException($"--tolerance must be in (0, pi) rad, got {Text(options.ToleranceRad)}");
        if (options.PulseMarginNs < 0) throw new ArgumentException($"--pulse-margin cannot be negative, got {options.PulseMarginNs}");
        return options;
    }

    private static int RunEmulated(CliContext context, BoardFile board, string directory, uint rateHz, uint repeats, BenchBoardOptions options)
    {
        var spec = BoardConfiguration.BenchSpec(board);
        BenchBoardResult result;
        var tracePath = Path.Combine(directory, "trace.vcd");
        using (var vcd = VcdWriter.Create(tracePath))
        {
            result = BenchBoard.Run(spec, rateHz, options, vcd);
        }
        BenchDacReport.WriteEmulated(Path.Combine(directory, "bench.json"), result, options.MuxTransitionNs);
        var names = BoardFile.ChannelNames(board.Role);
        BenchDacPlot.Write(Path.Combine(directory, "bench.png"), result, names);

        var o = context.Out;
        o.WriteLine($"{board.Name} (emulated, slew {Text(options.SlewVoltsPerUs)} V/us, bandwidth {Text(options.BandwidthHz / 1e6)} MHz) at {Text(rateHz / 1e3)} kHz, tolerance {Text(options.ToleranceRad)} rad:");
        foreach (var t in result.Transitions)
            o.WriteLine($"  {names[t.From],-2} -> {names[t.To],-2}  settle {t.SettleNs,6} ns{(t.Settled ? "" : "  (did not settle within the hold)")}");
        o.WriteLine(result.FeasibleAtRate
            ? $"worst {result.WorstSettleNs} ns: in time for the optical pulse at {result.PulseArrivalAfterTriggerNs} ns ({result.SlackNs} ns to spare)"
            : $"worst {result.WorstSettleNs} ns: LATE for the optical pulse at {result.PulseArrivalAfterTriggerNs} ns by {-result.SlackNs} ns");
        o.WriteLine($"max pulse rate {Text(result.MaxPulseRateHz / 1e3)} kHz = 1 / (worst settle + {result.PulseMarginNs} ns pulse margin)");
        o.WriteLine($"wrote {Path.Combine(directory, "bench.json")}, {tracePath}, {Path.Combine(directory, "bench.png")}");
        return 0;
    }

    private static int RunOnBoard(CliContext context, BoardFile board, string directory, string portName, int baud, uint rateHz, uint repeats, double timeoutSeconds)
    {
        if (baud <= 0) throw new ArgumentException($"--baud must be positive, got {baud}");
        if (!(timeoutSeconds > 0)) throw new ArgumentException($"--timeout must be positive, got {Text(timeoutSeconds)}");
        var configure = BoardConfiguration.Configure(board);
        var report = BenchDacSerial.Run(portName, baud, configure, new BenchRunMessage(rateHz, repeats, []), TimeSpan.FromSeconds(timeoutSeconds), context.Out);
        var path = Path.Combine(directory, "bench.json");
        BenchDacReport.WriteFromBoard(path, board.Name, board.Role == Boards.BoardRole.Alice ? "alice" : "bob", report);
        var names = BoardFile.ChannelNames(board.Role);
        foreach (var t in report.Timings ?? [])
        {
            if (t is null) continue;
            context.Out.WriteLine($"  {Name(names, t.From),-2} -> {Name(names, t.To),-2}  firmware trigger->MUX {t.SettleNs} ns (worst {t.SettleMaxNs} ns)");
        }
        context.Out.WriteLine($"wrote {path}; measure the analog settle with a scope triggered on scope_sync");
        return 0;
    }

    private static string Name(IReadOnlyList<string> names, int channel) => channel < names.Count ? names[channel] : channel.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
