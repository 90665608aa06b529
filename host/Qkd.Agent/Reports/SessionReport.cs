using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace Qkd.Agent.Reports;

/// <summary>Totals over a session's blocks, as summary.json holds them.</summary>
public sealed record SessionSummary(
    int Blocks, long Pulses, long Detections, long SiftedBits, long RawKeyBits, long SecretKeyBits, double Seconds,
    double? MeanQber, double? MinQber, double? MaxQber, double DetectionsPerPulse, double DetectionsPerSecond,
    double SecretBitsPerSecond, double SecretBitsPerPulse)
{
    /// <summary>
    /// QBER averaged with each block weighted by its sifted bits (the pooled error rate), over the blocks
    /// that have an estimate; null when none has.
    /// </summary>
    public static SessionSummary Of(IReadOnlyList<BlockRecord> blocks)
    {
        long pulses = blocks.Sum(b => b.Pulses), detections = blocks.Sum(b => b.Detections), sifted = blocks.Sum(b => b.SiftedBits);
        long secret = blocks.Sum(b => b.SecretKeyBits);
        double seconds = blocks.Sum(b => b.Seconds);
        var estimated = blocks.Where(b => !double.IsNaN(b.Qber)).ToList();
        long estimatedSifted = estimated.Sum(b => b.SiftedBits);
        double? meanQber = estimated.Count == 0 ? null
            : estimatedSifted > 0 ? estimated.Sum(b => b.Qber * b.SiftedBits) / estimatedSifted : estimated.Average(b => b.Qber);
        return new SessionSummary(blocks.Count, pulses, detections, sifted, blocks.Sum(b => b.RawKeyBits), secret, seconds,
            meanQber, estimated.Count == 0 ? null : estimated.Min(b => b.Qber), estimated.Count == 0 ? null : estimated.Max(b => b.Qber),
            Ratio(detections, pulses), Ratio(detections, seconds), Ratio(secret, seconds), Ratio(secret, pulses));
    }

    private static double Ratio(double a, double b) => b > 0 ? a / b : 0;
}

/// <summary>
/// `qkd report`: plots (ScottPlot PNGs) and summary.csv/summary.json from a session folder's blocks.jsonl and,
/// if present, eom-trace.csv. Only counts, rates and voltages are plotted: the log holds no key material.
/// </summary>
public static class SessionReport
{
    public const string QberPlot = "qber-per-block.png";
    public const string DetectionRatePlot = "detection-rate-per-block.png";
    public const string KeyLengthPlot = "key-length-vs-block-size.png";
    public const string EomPlot = "eom-trace.png";
    public const string SummaryCsv = "summary.csv";
    public const string SummaryJson = "summary.json";
    private const int Width = 900, Height = 540;

    /// <summary>Writes the report into <paramref name="outDir"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<BlockRecord> blocks, EomTrace? trace, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        double[] blockIndex = blocks.Select(b => (double)b.Block).ToArray();

        var estimated = blocks.Where(b => !double.IsNaN(b.Qber)).ToArray(); // a block too small to estimate has no point
        written.Add(SavePlot(outDir, QberPlot, "QBER per block", "block", "QBER (%)",
            plot => plot.Add.Scatter(estimated.Select(b => (double)b.Block).ToArray(), estimated.Select(b => b.Qber * 100).ToArray())));
        bool perSecond = blocks.All(b => b.Seconds > 0);
        written.Add(SavePlot(outDir, DetectionRatePlot, "Detection rate per block", "block",
            perSecond ? "detections per second" : "detections per pulse",
            plot => plot.Add.Scatter(blockIndex, blocks.Select(b => perSecond ? b.Detections / b.Seconds : Rate(b.Detections, b.Pulses)).ToArray())));
        written.Add(SavePlot(outDir, KeyLengthPlot, "Secret key length vs block size", "block size (bits)", "secret key (bits)", plot =>
        {
            var points = plot.Add.ScatterPoints(blocks.Select(b => (double)b.BlockBits).ToArray(), blocks.Select(b => (double)b.SecretKeyBits).ToArray());
            points.MarkerSize = 7;
        }));
        if (trace is not null)
        {
            written.Add(SavePlot(outDir, EomPlot, "EOM drive", "time (µs)", "EOM voltage (V)", plot =>
            {
                double[] micros = trace.TimeNs.Select(t => t / 1000).ToArray();
                // SignalXY draws millions of ascending points quickly; an unsorted trace falls back to a scatter.
                if (trace.TimeAscending()) plot.Add.SignalXY(micros, trace.Volts);
                else plot.Add.ScatterLine(micros, trace.Volts);
            }));
        }

        var summary = SessionSummary.Of(blocks);
        string csv = Path.Combine(outDir, SummaryCsv);
        File.WriteAllText(csv, ToCsv(blocks));
        written.Add(csv);
        string json = Path.Combine(outDir, SummaryJson);
        File.WriteAllText(json, JsonSerializer.Serialize(summary, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true }));
        written.Add(json);
        return written;
    }

    /// <summary>One row per block with the logged fields and the derived rates.</summary>
    public static string ToCsv(IReadOnlyList<BlockRecord> blocks)
    {
        var sb = new StringBuilder("block,pulses,detections,siftedBits,qber,rawKeyBits,secretKeyBits,seconds,blockBits,detectionsPerPulse,detectionsPerSecond,secretBitsPerSecond\n");
        foreach (var b in blocks)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{b.Block},{b.Pulses},{b.Detections},{b.SiftedBits},{(double.IsNaN(b.Qber) ? "" : b.Qber.ToString("R", CultureInfo.InvariantCulture))},{b.RawKeyBits},{b.SecretKeyBits},{b.Seconds:R},{b.BlockBits},");
            sb.Append(CultureInfo.InvariantCulture, $"{Rate(b.Detections, b.Pulses):R},{Rate(b.Detections, b.Seconds):R},{Rate(b.SecretKeyBits, b.Seconds):R}\n");
        }
        return sb.ToString();
    }

    private static double Rate(double count, double per) => per > 0 ? count / per : 0;

    private static string SavePlot(string outDir, string name, string title, string xLabel, string yLabel, Action<Plot> draw)
    {
        using var plot = new Plot();
        draw(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        string path = Path.Combine(outDir, name);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
