using System.Globalization;
using Qkd.Simulation.Emulation;
using ScottPlot;

namespace Qkd.Agent.Verbs;

/// <summary>
/// DIR/bench.png: EOM voltage against time since the trigger, one line per measured transition (first
/// repeat), with the trigger, the optical pulse arrival (one period minus the pulse margin) and the next
/// trigger marked, so a late transition is visible at a glance.
/// </summary>
internal static class BenchDacPlot
{
    public static void Write(string path, BenchBoardResult result, IReadOnlyList<string> channelNames)
    {
        var plot = new Plot();
        plot.Add.Palette = new ScottPlot.Palettes.Category20(); // 12 transitions need more than 10 colours
        // Show the settling; at slow clocks the period dwarfs it, so the window stops at 3x the settle.
        var settleView = result.WorstSettleNs + 500;
        var spanNs = Math.Max(settleView, Math.Min(result.PeriodNs + result.PeriodNs / 4, 3 * settleView));
        var seen = new HashSet<(int, int)>();
        foreach (var m in result.Measured)
        {
            if (!seen.Add((m.From, m.To))) continue;
            var count = (int)Math.Min(m.EomVolts.Length, spanNs / result.SampleNs + 1);
            var xs = new double[count];
            var ys = new double[count];
            for (var i = 0; i < count; i++)
            {
                xs[i] = i * result.SampleNs;
                ys[i] = m.EomVolts[i];
            }
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"{Name(channelNames, m.From)}->{Name(channelNames, m.To)}";
            line.LineWidth = 1.5f;
        }

        var trigger = plot.Add.VerticalLine(0);
        trigger.LinePattern = LinePattern.Dotted;
        trigger.LegendText = "trigger (scope sync)";
        if (result.PulseArrivalAfterTriggerNs <= spanNs)
        {
            var pulse = plot.Add.VerticalLine(result.PulseArrivalAfterTriggerNs);
            pulse.Color = Colors.Red;
            pulse.LineWidth = 2;
            pulse.LinePattern = LinePattern.Dashed;
            pulse.LegendText = $"optical pulse ({result.PulseArrivalAfterTriggerNs} ns)";
        }
        if (result.PeriodNs <= spanNs)
        {
            var next = plot.Add.VerticalLine(result.PeriodNs);
            next.LinePattern = LinePattern.Dotted;
            next.LegendText = "next trigger";
        }

        var verdict = result.FeasibleAtRate
            ? $"in time, {result.SlackNs} ns to spare"
            : $"LATE by {-result.SlackNs} ns";
        plot.Title($"{result.Board} at {Khz(result.RateHz)} kHz: worst settle {result.WorstSettleNs} ns ({verdict}), max {Khz(result.MaxPulseRateHz)} kHz");
        plot.XLabel("time since trigger (ns)");
        plot.YLabel("EOM voltage (V)");
        if (result.PulseArrivalAfterTriggerNs > spanNs) plot.XLabel($"time since trigger (ns); the optical pulse comes at {result.PulseArrivalAfterTriggerNs} ns, off the right edge");
        plot.Axes.SetLimitsX(-spanNs / 50.0, spanNs);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    private static string Name(IReadOnlyList<string> names, int channel) => channel < names.Count ? names[channel] : channel.ToString(CultureInfo.InvariantCulture);

    private static string Khz(double hz) => (hz / 1000).ToString("0.#", CultureInfo.InvariantCulture);
}
