using System.Diagnostics;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Reconciliation;
namespace Qkd.PostProcessing.Tests;
public class TmpExperiment
{
    [Fact]
    public void Tmp()
    {
        var env = (string k, string d) => Environment.GetEnvironmentVariable(k) ?? d;
        var dir = env("XDIR", "/work/wt-qc-decoder/codes");
        var qbers = env("XQ", "0.06").Split(',').Select(double.Parse).ToArray();
        var f0s = env("XF0", "1.06").Split(',').Select(double.Parse).ToArray();
        var rules = env("XRULE", "0").Split(',').Select(int.Parse).ToArray();
        var frames = int.Parse(env("XFRAMES", "10"));
        var shortCodes = Reconcilers.LoadFamily(dir);
        var longCodes = Reconcilers.LoadLongFamily(dir);
        var lines = new List<string>();
        foreach (var rule in rules)
        foreach (var q in qbers)
        foreach (var f0 in f0s)
        {
            var r = new RateAdaptiveReconciler(shortCodes, longCodes: longCodes) { LongSchedule = f0 > 0 ? [(0.01, f0, 0.02)] : new RateAdaptiveReconciler(shortCodes).LongSchedule };
            var (a, b) = LdpcTestData.Correlated(frames * 90000, q, 1000 + (int)(q * 1000));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var res = r.Reconcile(a, b, q);
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var code = RateAdaptiveReconciler.ChooseLongCode(r.LongCodes, q, f0 > 0 ? f0 : r.LongScheduleAt(q).StartEfficiency);
            lines.Add($"rule={rule} q={q} f0={f0}: ok {res.FramesOk}/{res.FrameOk.Length} mm {res.HashMismatches} f={res.Efficiency:F3} it={res.MeanIterations:F1} cpuMs={cpuMs:F0} code={code.Code.Matrix.DesignRate:F2} p={code.Punctured}");
        }
        File.WriteAllLines("/tmp/xresult.txt", lines);
    }
}
