using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.Simulation.Physics;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd bench physics`: times the event-driven optics over N pulses with pseudo-random tables (after a
/// warm-up block) and reports pulses/s, detections and the measured QBER next to the preset's expectation.
/// </summary>
internal sealed class BenchPhysicsVerb : IVerb
{
    private const int MaxBlockPulses = 1 << 30;

    public string Group => "bench";

    public Command Build(CliContext context)
    {
        var preset = new Option<string>("--preset") { Description = $"Physics preset: {string.Join(", ", PhysicsPresets.Names)}.", DefaultValueFactory = _ => PhysicsPresets.Hbn2023 };
        var pulses = new Option<long>("--pulses") { Description = "Pulses to simulate (split into blocks of 2^30).", DefaultValueFactory = _ => 1_000_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the optics and the tables.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var command = new Command("physics", "Time the photon physics (event-driven optics) on pseudo-random tables.");
        foreach (Option o in new Option[] { preset, pulses, seed, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            PhysicsPreset physics;
            try { physics = PhysicsPresets.Get(parse.GetValue(preset)!); }
            catch (ArgumentException ex)
            {
                context.Error.WriteLine($"qkd bench physics: {ex.Message}");
                return QkdCli.ExitBadInput;
            }
            long total = parse.GetValue(pulses);
            if (total <= 0)
            {
                context.Error.WriteLine($"qkd bench physics: --pulses must be > 0 (got {total}).");
                return QkdCli.ExitBadInput;
            }
            ulong tableSeed = parse.GetValue(seed);
            var optics = physics.CreateOptics();
            var tally = new Tally(tableSeed);
            optics.SimulateBlock((int)Math.Min(total, 1_000_000), tally.AliceCode, tally.BobBasis, tableSeed ^ 0xABCDEF, tally.Sink); // warm-up: JIT
            tally.Reset();

            var process = Process.GetCurrentProcess();
            process.Refresh();
            TimeSpan cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            ulong block = 0;
            for (long done = 0; done < total; done += MaxBlockPulses, block++)
            {
                tally.Offset = done;
                optics.SimulateBlock((int)Math.Min(MaxBlockPulses, total - done), tally.AliceCode, tally.BobBasis, tableSeed + block, tally.Sink);
            }
            double seconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            double cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds;
            var expected = physics.Expectation;
            double qber = tally.Sifted > 0 ? (double)tally.Errors / tally.Sifted : 0;
            string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
            context.Out.WriteLine(parse.GetValue(json)
                ? $"{{\"preset\":\"{physics.Name}\",\"pulses\":{total},\"detections\":{tally.Detections},\"doubleClicks\":{tally.Doubles},\"siftedBits\":{tally.Sifted}," +
                  $"\"qber\":{F(qber, "R")},\"expectedQber\":{F(expected.Qber, "R")},\"detectionProbability\":{F((double)tally.Detections / total, "R")}," +
                  $"\"expectedDetectionProbability\":{F(expected.DetectionProbability, "R")},\"seconds\":{F(seconds, "F3")},\"cpuSeconds\":{F(cpuSeconds, "F3")}," +
                  $"\"pulsesPerSecond\":{F(total / seconds, "F0")}}}"
                : $"{physics.Name}: {total} pulses in {F(seconds, "F3")} s ({F(total / seconds / 1e9, "F2")} Gpulses/s, CPU {F(cpuSeconds, "F3")} s; the machine is shared), " +
                  $"{tally.Detections} detections (expected {F(expected.DetectionProbability * total, "F0")}), QBER {F(qber, "F4")} (expected {F(expected.Qber, "F4")})");
            return 0;
        });
        return command;
    }

    /// <summary>Pseudo-random tables from a hash of the pulse index (no table in memory) and the sifting tally.</summary>
    private sealed class Tally(ulong seed)
    {
        public long Offset;
        public long Detections, Doubles, Sifted, Errors;

        public void Reset() => Detections = Doubles = Sifted = Errors = 0;

        public int AliceCode(int pulse) => (int)(Hash(Offset + pulse) & 3);

        public int BobBasis(int pulse) => (int)((Hash(Offset + pulse) >> 2) & 1);

        public void Sink(int pulse, byte detectorCode)
        {
            Detections++;
            if (detectorCode == 3) { Doubles++; return; }
            int a = AliceCode(pulse);
            if ((a >> 1) != BobBasis(pulse)) return;
            Sifted++;
            if ((a & 1) != detectorCode - 1) Errors++;
        }

        private ulong Hash(long pulse)
        {
            ulong z = (ulong)pulse * 0x9E3779B97F4A7C15UL + seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
