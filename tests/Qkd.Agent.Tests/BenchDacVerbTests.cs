using System.Text.Json.Nodes;

namespace Qkd.Agent.Tests;

/// <summary>`qkd bench dac`: emulated run files, the JSON users read, refusals of bad input; the real-board run is hardware-only.</summary>
public class BenchDacVerbTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qkd-bench-dac-" + Guid.NewGuid().ToString("N"));

    private static string Board(string name) => Path.Combine(BoardFileTests.BoardsDirectory, name);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Emulated_alice_writes_json_vcd_and_png()
    {
        var (exit, output, error) = CliTests.Run("bench", "dac", "--emulated", "--board", Board("alice-esp32.json"), "--out", _dir);

        Assert.True(exit == 0, error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "bench.json")))!;
        Assert.Equal("alice-esp32", (string?)json["board"]);
        var transitions = json["transitions"]!.AsArray();
        Assert.Equal(12, transitions.Count);
        Assert.Equal(12, transitions.Select(t => ((int)t!["from"]!, (int)t["to"]!)).Distinct().Count());
        var settles = transitions.Select(t => (long)t!["settleNs"]!).ToList();
        Assert.All(settles, s => Assert.InRange(s, 100, 5_000));
        var worst = settles.Max();
        Assert.Equal(worst, (long)json["worstSettleNs"]!);
        Assert.Equal(1e9 / (worst + (long)json["pulseMarginNs"]!), (double)json["maxPulseRateHz"]!, 0);
        Assert.Equal(0.05, (double)json["toleranceRad"]!);
        Assert.Equal(worst + 40 <= 2_000, (bool)json["feasibleAtRate"]!);

        var vcd = File.ReadAllText(Path.Combine(_dir, "trace.vcd"));
        Assert.Contains("$timescale 1 ns $end", vcd);
        Assert.Contains("$scope module alice $end", vcd);
        foreach (var signal in new[] { "trigger", "dac_sync", "dac_sclk", "dac_sdin", "dac_ldac", "mux_en", "mux_a0", "mux_a1", "scope_sync" })
            Assert.Contains($" {signal} $end", vcd);
        Assert.Contains("$var real 64", vcd);

        var png = File.ReadAllBytes(Path.Combine(_dir, "bench.png"));
        Assert.True(png.Length > 1_000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Contains("max pulse rate", output);
    }

    [Fact]
    public void A_slower_slew_lowers_the_max_pulse_rate_of_bob()
    {
        double MaxRate(string slew, string sub)
        {
            var dir = Path.Combine(_dir, sub);
            var (exit, _, error) = CliTests.Run("bench", "dac", "--emulated", "--board", Board("bob-esp32.json"), "--out", dir, "--slew", slew, "--rate", "100000");
            Assert.True(exit == 0, error);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "bench.json")))!;
            Assert.Equal(2, json["transitions"]!.AsArray().Count);
            return (double)json["maxPulseRateHz"]!;
        }

        Assert.True(MaxRate("50", "slow") < MaxRate("150", "fast") * 0.6);
    }

    [Fact]
    public void A_bad_board_file_is_refused_with_the_field_and_nothing_is_written()
    {
        var bad = Path.Combine(_dir, "bad.json");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(bad, File.ReadAllText(Board("alice-esp32.json")).Replace("\"muxA0\": 26", "\"muxA0\": 999"));
        var outDir = Path.Combine(_dir, "out");

        var (exit, _, error) = CliTests.Run("bench", "dac", "--emulated", "--board", bad, "--out", outDir);

        Assert.Equal(2, exit);
        Assert.Contains("$.pins.muxA0", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_missing_board_file_is_refused()
    {
        var (exit, _, error) = CliTests.Run("bench", "dac", "--emulated", "--board", Path.Combine(_dir, "none.json"), "--out", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("cannot read", error);
    }

    [Theory]
    [InlineData("--rate", "0")]
    [InlineData("--slew", "-5")]
    [InlineData("--tolerance", "0")]
    [InlineData("--repeats", "50")]
    public void Bad_parameters_are_refused(string option, string value)
    {
        var (exit, _, error) = CliTests.Run("bench", "dac", "--emulated", "--board", Board("alice-esp32.json"), "--out", _dir, option, value);
        Assert.Equal(2, exit);
        Assert.Contains(option, error);
    }

    [Fact]
    public void Needs_exactly_one_of_emulated_and_port()
    {
        var (neither, _, error) = CliTests.Run("bench", "dac", "--board", Board("alice-esp32.json"), "--out", _dir);
        var (both, _, _) = CliTests.Run("bench", "dac", "--emulated", "--port", "COM9", "--board", Board("alice-esp32.json"), "--out", _dir);
        Assert.Equal((2, 2), (neither, both));
        Assert.Contains("--emulated", error);
    }

    [Fact]
    public void A_serial_port_that_cannot_be_opened_ends_with_exit_3_and_the_port_name()
    {
        var port = Path.Combine(_dir, "no-such-tty");
        var (exit, _, error) = CliTests.Run("bench", "dac", "--port", port, "--board", Board("bob-esp32.json"), "--out", _dir);
        Assert.Equal(3, exit);
        Assert.Contains(port, error);
        Assert.False(File.Exists(Path.Combine(_dir, "bench.json")));
    }

    /// <summary>On a real board: set QKD_BENCH_PORT (and QKD_BENCH_BOARD, default boards/alice-esp32.json) to run.</summary>
    [SkippableFact]
    [Trait("Category", "Hardware")]
    public void Real_board_reports_every_transition()
    {
        var port = Environment.GetEnvironmentVariable("QKD_BENCH_PORT");
        Skip.If(string.IsNullOrEmpty(port), "no board: set QKD_BENCH_PORT to the board's serial port");
        var board = Environment.GetEnvironmentVariable("QKD_BENCH_BOARD") ?? Board("alice-esp32.json");

        var (exit, _, error) = CliTests.Run("bench", "dac", "--port", port!, "--board", board, "--out", _dir, "--rate", "10000", "--repeats", "10");

        Assert.True(exit == 0, error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "bench.json")))!;
        var transitions = json["transitions"]!.AsArray();
        Assert.Equal(Path.GetFileName(board).StartsWith("alice") ? 12 : 2, transitions.Count);
        Assert.All(transitions, t => Assert.True((long)t!["firmwareMaxNs"]! >= (long)t["firmwareNs"]!));
    }
}
