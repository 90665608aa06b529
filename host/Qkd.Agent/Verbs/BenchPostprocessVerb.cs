using System.CommandLine;
using System.Globalization;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Pipeline;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd bench postprocess`: the block pipeline on simulated correlated strings, timed per stage.</summary>
internal sealed class BenchPostprocessVerb : IVerb
{
    public string Group => "bench";

    public Command Build(CliContext context)
    {
        var bits = new Option<int>("--bits") { Description = "Sifted bits per block.", DefaultValueFactory = _ => 1_000_000 };
        var qber = new Option<double>("--qber") { Description = "Simulated QBER (0 <= Q < 0.5).", DefaultValueFactory = _ => 0.06 };
        var reconciliation = new Option<string>("--reconciliation") { Description = $"Reconciler: {string.Join(", ", Reconcilers.Names)}.", DefaultValueFactory = _ => Reconcilers.Default };
        var profile = new Option<string>("--profile") { Description = "Finite-key profile.", DefaultValueFactory = _ => "tomamichel-2012" };
        var sample = new Option<double>("--sample") { Description = "Fraction of sifted bits disclosed for estimation.", DefaultValueFactory = _ => 0.1 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs of the measured block first (JIT tiers, pools: the steady state of a running agent).", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };
        var command = new Command("postprocess", "Time estimation, reconciliation, key length and PA on simulated data.");
        foreach (Option o in new Option[] { bits, qber, reconciliation, profile, sample, warmup, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(bits);
            double q = parse.GetValue(qber);
            if (n < 1000 || n > 1 << 28) return Refuse(context, $"--bits {n} must lie in 1000..2^28.");
            if (!(q >= 0 && q < 0.5)) return Refuse(context, $"--qber {q} must lie in [0, 0.5).");
            int warmupRuns = parse.GetValue(warmup);
            if (warmupRuns < 0 || warmupRuns > 100) return Refuse(context, $"--warmup {warmupRuns} must lie in 0..100.");
            BlockPipeline pipeline;
            try
            {
                pipeline = new BlockPipeline(Reconcilers.Create(parse.GetValue(reconciliation)!),
                    new PipelineOptions { Profile = parse.GetValue(profile)!, SampleFraction = parse.GetValue(sample) });
            }
            catch (Exception ex) when (ex is ArgumentException or IOException)
            {
                return Refuse(context, ex.Message);
            }

            var rng = new Random(12345);
            var (warmAlice, warmBob) = Correlated(Math.Min(n, 100_000), q, rng);
            pipeline.Run(warmAlice, warmBob, warmAlice.Length / 2, 1); // JIT and pools
            var (alice, bob) = Correlated(n, q, rng);
            for (int w = 0; w < warmupRuns; w++) pipeline.Run(alice, bob, n / 2, 2);
            var r = pipeline.Run(alice, bob, n / 2, 2);

            long keyIn = n - r.SampleBits;
            string F(double v) => double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "null";
            double reconMbit = keyIn / (r.ReconciliationMs / 1000) / 1e6;
            double reconMbitPerCpuS = keyIn / (r.ReconciliationCpuMs / 1000) / 1e6;
            // PA hashes both parties' strings here (side by side); the machine's rate is both strings' bits over the time.
            double paMbit = r.ReconciledBits == 0 || r.PrivacyAmplificationMs == 0 ? 0 : 2.0 * r.ReconciledBits / (r.PrivacyAmplificationMs / 1000) / 1e6;
            context.Out.WriteLine(parse.GetValue(json)
                ? $"{{\"bits\":{n},\"qber\":{F(q)},\"estimatedQber\":{F(r.Qber.Qber)},\"sampleBits\":{r.SampleBits}," +
                  $"\"framesOk\":{r.FramesOk},\"framesFailed\":{r.FramesFailed},\"leakBits\":{r.ReconciliationLeakBits}," +
                  $"\"efficiency\":{F(r.Efficiency)},\"reconciledBits\":{r.ReconciledBits},\"secretKeyBits\":{r.SecretKeyBits}," +
                  $"\"keysMatch\":{(r.KeysMatch ? "true" : "false")},\"estimationMs\":{F(r.EstimationMs)},\"reconciliationMs\":{F(r.ReconciliationMs)}," +
                  $"\"privacyAmplificationMs\":{F(r.PrivacyAmplificationMs)},\"totalMs\":{F(r.TotalMs)}," +
                  $"\"reconciliationMbitPerS\":{F(reconMbit)},\"reconciliationCpuMs\":{F(r.ReconciliationCpuMs)},\"reconciliationMbitPerCpuS\":{F(reconMbitPerCpuS)}," +
                  $"\"privacyAmplificationMbitPerS\":{F(paMbit)},\"estimationCpuMs\":{F(r.EstimationCpuMs)}," +
                  $"\"privacyAmplificationCpuMs\":{F(r.PrivacyAmplificationCpuMs)},\"totalCpuMs\":{F(r.TotalCpuMs)},\"warmupRuns\":{warmupRuns}}}"
                : $"{n} bits at Q={F(q)}: {r.SecretKeyBits} secret bits, frames {r.FramesOk} ok / {r.FramesFailed} failed, " +
                  $"f={F(r.Efficiency)}, total {F(r.TotalMs)} ms, {F(r.TotalCpuMs)} ms CPU (reconciliation {F(reconMbit)} Mbit/s, PA {F(paMbit)} Mbit/s)");
            return 0;
        });
        return command;
    }

    private static (BitVector Alice, BitVector Bob) Correlated(int bits, double qber, Random rng)
    {
        var bob = BitVector.Random(bits, rng);
        var alice = bob.Slice(0, bits);
        for (int i = 0; i < bits; i++) if (rng.NextDouble() < qber) alice[i] = !alice[i];
        return (alice, bob);
    }

    private static int Refuse(CliContext context, string message)
    {
        context.Error.WriteLine($"qkd bench postprocess: {message}");
        return QkdCli.ExitBadInput;
    }
}
