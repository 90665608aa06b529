using System.Globalization;
using System.Text.Json;
using Qkd.Agent.Reports;

namespace Qkd.Agent.Tests;

public class ReportVerbTests
{
    private static readonly BlockRecord[] Blocks =
    [
        new(0, 1_000_000, 2_000, 1_000, 0.06, 900, 100, 2.0, 1_000),
        new(1, 1_000_000, 3_000, 1_500, 0.04, 1_350, 300, 2.0, 1_500),
        new(2, 2_000_000, 5_000, 2_500, 0.05, 2_250, 500, 4.0, 2_500),
    ];

    private static void WriteLog(string dir, IEnumerable<BlockRecord> blocks) =>
        File.AppendAllLines(Path.Combine(dir, SessionLog.FileName), blocks.Select(ToJson));

    private static string ToJson(BlockRecord r) => JsonSerializer.Serialize(new
    {
        block = r.Block, pulses = r.Pulses, detections = r.Detections, siftedBits = r.SiftedBits, qber = r.Qber,
        rawKeyBits = r.RawKeyBits, secretKeyBits = r.SecretKeyBits, seconds = r.Seconds, blockBits = r.BlockBits,
    });

    private static bool IsPng(string path) =>
        File.Exists(path) && File.ReadAllBytes(path).AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });

    [Fact]
    public void Session_log_round_trips_and_ignores_extra_fields()
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks);
        File.AppendAllText(Path.Combine(dir.Path, SessionLog.FileName),
            "{\"block\":3,\"pulses\":5,\"detections\":1,\"siftedBits\":1,\"qber\":0,\"rawKeyBits\":1,\"secretKeyBits\":0,\"seconds\":0.5,\"blockBits\":1,\"note\":\"x\"}\n");
        var read = SessionLog.Read(Path.Combine(dir.Path, SessionLog.FileName));
        Assert.Equal(Blocks, read.Take(3));
        Assert.Equal(3, read[3].Block);
    }

    [Fact]
    public void Report_writes_the_plots_and_summaries()
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks);
        var (exit, output, error) = CliTests.Run("report", dir.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("3 blocks", output);
        foreach (var png in new[] { SessionReport.QberPlot, SessionReport.DetectionRatePlot, SessionReport.KeyLengthPlot })
            Assert.True(IsPng(Path.Combine(dir.Path, png)), png);
        Assert.False(File.Exists(Path.Combine(dir.Path, SessionReport.EomPlot)));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, SessionReport.SummaryJson)));
        var s = json.RootElement;
        Assert.Equal(3, s.GetProperty("blocks").GetInt32());
        Assert.Equal(4_000_000, s.GetProperty("pulses").GetInt64());
        Assert.Equal(10_000, s.GetProperty("detections").GetInt64());
        Assert.Equal(900, s.GetProperty("secretKeyBits").GetInt64());
        // Pooled QBER: (0.06*1000 + 0.04*1500 + 0.05*2500) / 5000.
        Assert.Equal(0.049, s.GetProperty("meanQber").GetDouble(), 12);
        Assert.Equal(0.04, s.GetProperty("minQber").GetDouble());
        Assert.Equal(1250, s.GetProperty("detectionsPerSecond").GetDouble(), 9);
        Assert.Equal(112.5, s.GetProperty("secretBitsPerSecond").GetDouble(), 9);

        var csv = File.ReadAllLines(Path.Combine(dir.Path, SessionReport.SummaryCsv));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("block,pulses,detections,siftedBits,qber", csv[0]);
        var row = csv[2].Split(',');
        Assert.Equal("1", row[0]);
        Assert.Equal(0.003, double.Parse(row[9], CultureInfo.InvariantCulture), 12);
        Assert.Equal(1500, double.Parse(row[10], CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void Eom_trace_is_plotted_when_present()
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks);
        var lines = new List<string> { "timeNs,eomVolts,pulse" };
        for (int i = 0; i < 2000; i++) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i * 10},{(i / 200 % 4) * 45.5},{i / 200}"));
        File.WriteAllLines(Path.Combine(dir.Path, EomTrace.FileName), lines);
        string outDir = Path.Combine(dir.Path, "out");
        var (exit, _, error) = CliTests.Run("report", dir.Path, "--out", outDir);
        Assert.True(exit == 0, error);
        Assert.True(IsPng(Path.Combine(outDir, SessionReport.EomPlot)));
        Assert.True(IsPng(Path.Combine(outDir, SessionReport.QberPlot)));
    }

    [Fact]
    public void Block_too_small_to_estimate_has_no_qber_point_and_the_report_still_succeeds()
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks);
        // What the session journal writes for a block whose sample was too small for a QBER estimate.
        File.AppendAllText(Path.Combine(dir.Path, SessionLog.FileName),
            "{\"block\":3,\"pulses\":1000,\"detections\":4,\"doubleClicks\":0,\"siftedBits\":2,\"sampleBits\":0,\"qber\":null,\"rawKeyBits\":2," +
            "\"blockBits\":0,\"secretKeyBits\":0,\"keysMatch\":true,\"seconds\":0.5}\n");
        Assert.True(double.IsNaN(SessionLog.Read(Path.Combine(dir.Path, SessionLog.FileName))[3].Qber));

        var (exit, output, error) = CliTests.Run("report", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("4 blocks", output);
        Assert.True(IsPng(Path.Combine(dir.Path, SessionReport.QberPlot)));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, SessionReport.SummaryJson)));
        Assert.Equal(4, json.RootElement.GetProperty("blocks").GetInt32());
        Assert.Equal(0.049, json.RootElement.GetProperty("meanQber").GetDouble(), 12); // the missing estimate does not count
        Assert.Equal(0.04, json.RootElement.GetProperty("minQber").GetDouble());
        Assert.Equal(0.06, json.RootElement.GetProperty("maxQber").GetDouble());
        Assert.Equal("", File.ReadAllLines(Path.Combine(dir.Path, SessionReport.SummaryCsv))[4].Split(',')[4]);
    }

    [Fact]
    public void Missing_log_is_exit_2()
    {
        using var dir = new TempDataDir();
        var (exit, _, error) = CliTests.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("blocks.jsonl", error);
    }

    [Theory]
    [InlineData("{\"block\":2,", "line 3", "not valid JSON")]
    [InlineData("{\"block\":2,\"pulses\":1}", "line 3", "'detections'")]
    [InlineData("[1,2]", "line 3", "not a JSON object")]
    [InlineData("{\"block\":2,\"pulses\":1.5,\"detections\":1,\"siftedBits\":1,\"qber\":0,\"rawKeyBits\":1,\"secretKeyBits\":0,\"seconds\":1,\"blockBits\":1}", "line 3", "'pulses' is not an integer")]
    [InlineData("{\"block\":2,\"pulses\":1,\"detections\":1,\"siftedBits\":1,\"qber\":3,\"rawKeyBits\":1,\"secretKeyBits\":0,\"seconds\":1,\"blockBits\":1}", "line 3", "qber")]
    public void Corrupt_log_line_is_exit_2_naming_the_line(string badLine, string where, string what)
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks.Take(2));
        File.AppendAllText(Path.Combine(dir.Path, SessionLog.FileName), badLine + "\n");
        var (exit, _, error) = CliTests.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains(where, error);
        Assert.Contains(what, error);
        Assert.False(File.Exists(Path.Combine(dir.Path, SessionReport.SummaryJson)));
    }

    [Fact]
    public void Empty_log_is_exit_2()
    {
        using var dir = new TempDataDir();
        File.WriteAllText(Path.Combine(dir.Path, SessionLog.FileName), "\n");
        var (exit, _, error) = CliTests.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("no block records", error);
    }

    [Fact]
    public void Corrupt_eom_trace_is_exit_2_naming_the_line()
    {
        using var dir = new TempDataDir();
        WriteLog(dir.Path, Blocks);
        File.WriteAllLines(Path.Combine(dir.Path, EomTrace.FileName), ["timeNs,eomVolts", "0,1.5", "10,abc"]);
        var (exit, _, error) = CliTests.Run("report", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("eom-trace.csv line 3", error);
    }
}
