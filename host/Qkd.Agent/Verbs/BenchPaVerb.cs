using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd bench pa`: times one Toeplitz hash of random input (after one warm-up run).</summary>
internal sealed class BenchPaVerb : IVerb
{
    public string Group => "bench";

    public Command Build(CliContext context)
    {
        var bits = new Option<int>("--bits") { Description = "Input bits n.", DefaultValueFactory = _ => 1 << 24 };
        var outBits = new Option<int?>("--out-bits") { Description = "Output bits l (default n/2)." };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs; the best is reported.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var pair = new Option<bool>("--pair") { Description = "Hash two inputs with one seed (ToeplitzHash.HashPair, as the pipeline does for Alice and Bob)." };
        var pairStrategy = new Option<ToeplitzPairStrategy>("--pair-strategy") { Description = "With --pair: auto, shared (one fused pass), concurrent (two single-core hashes side by side) or sequential.", DefaultValueFactory = _ => ToeplitzPairStrategy.Auto };
        var method = PaVerb.MethodOption();
        var command = new Command("pa", "Time privacy amplification (Toeplitz hash) on random data.");
        foreach (Option o in new Option[] { bits, outBits, repeat, json, pair, pairStrategy, method }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(bits), l = parse.GetValue(outBits) ?? parse.GetValue(bits) / 2, runs = parse.GetValue(repeat);
            if (n <= 0 || n > (1 << 28) || l <= 0 || l > n || runs <= 0)
            {
                context.Error.WriteLine($"qkd bench pa: need 0 < out-bits <= bits <= 2^28 and repeat > 0 (got bits {n}, out-bits {l}, repeat {runs}).");
                return QkdCli.ExitBadInput;
            }
            var rng = new Random(1);
            var x = BitVector.Random(n, rng);
            var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
            bool twoInputs = parse.GetValue(pair);
            ToeplitzPairStrategy strategy = parse.GetValue(pairStrategy);
            var x2 = twoInputs ? BitVector.Random(n, rng) : x;
            var hash = new ToeplitzHash(method: parse.GetValue(method));
            ToeplitzMethod used = hash.MethodFor(n);
            string plan = used switch
            {
                ToeplitzMethod.Ntt => ToeplitzNtt.PlanFor(n, l).ToString(),
                ToeplitzMethod.AdditiveFft => ToeplitzAdditiveFft.PlanFor(n, l).ToString(),
                _ => "karatsuba",
            };
            string schedule = used == ToeplitzMethod.Ntt ? ToeplitzNtt.ScheduleFor(ToeplitzNtt.PlanFor(n, l)).ToString().ToLowerInvariant() : "-";
            bool vectorized = used == ToeplitzMethod.AdditiveFft ? ToeplitzAdditiveFft.Vectorized : Ntt.Vectorized;
            void Run() { if (twoInputs) hash.HashPair(x, x2, seed, l, strategy); else hash.Hash(x, seed, l); }
            Run(); // warm-up: JIT and first-touch of memory
            double best = double.MaxValue, bestCpu = double.MaxValue;
            var process = Process.GetCurrentProcess();
            for (int r = 0; r < runs; r++)
            {
                process.Refresh();
                TimeSpan cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                Run();
                double wall = sw.Elapsed.TotalMilliseconds;
                process.Refresh();
                if (wall < best) { best = wall; bestCpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds; }
            }
            double mbit = n / (best / 1000) / 1e6;
            string cpuMs = bestCpu.ToString("F1", CultureInfo.InvariantCulture);
            string ms = best.ToString("F2", CultureInfo.InvariantCulture), rate = mbit.ToString("F1", CultureInfo.InvariantCulture);
            context.Out.WriteLine(parse.GetValue(json)
                ? $"{{\"bits\":{n},\"outBits\":{l},\"ms\":{ms},\"mbitPerS\":{rate},\"cpuMs\":{cpuMs},\"cores\":{Environment.ProcessorCount},\"clmul\":\"{Qkd.PostProcessing.Gf2.CarrylessMultiply.Implementation}\",\"method\":\"{used.ToString().ToLowerInvariant()}\",\"vectorized\":{(vectorized ? "true" : "false")},\"plan\":\"{plan}\",\"schedule\":\"{schedule}\",\"pair\":{(twoInputs ? "true" : "false")}}}"
                : $"Toeplitz {n} -> {l} bits ({used}: {plan}, {schedule}{(twoInputs ? ", pair" : "")}): {ms} ms, {rate} Mbit/s of input (CPU {cpuMs} ms; the machine is shared, compare wall and CPU time)");
            return 0;
        });
        return command;
    }
}
