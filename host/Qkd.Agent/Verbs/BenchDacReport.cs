using System.Text.Json;
using Qkd.Simulation.Emulation;
using Qkd.Wire;

namespace Qkd.Agent.Verbs;

/// <summary>
/// DIR/bench.json of `qkd bench dac`. Emulated: settleNs = trigger to EOM retardance within
/// toleranceRad of its target for good (mean over repeats; settleMaxNs the worst), firmwareNs = the
/// firmware's trigger-to-MUX-written latency (0 in virtual time), maxPulseRateHz = 1e9 / (worst settle +
/// pulse margin). From a real board: the board cannot see the analog settling (a scope on scope_sync
/// and the EOM drive does), so settleNs and maxPulseRateHz are null and firmwareNs is what it measured.
/// </summary>
internal static class BenchDacReport
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static void WriteEmulated(string path, BenchBoardResult result, long muxTransitionNs)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Indented);
        json.WriteStartObject();
        json.WriteString("board", result.Board);
        json.WriteString("role", result.Scope);
        json.WriteString("source", "emulated");
        json.WriteNumber("rateHz", result.RateHz);
        json.WriteNumber("periodNs", result.PeriodNs);
        json.WriteStartArray("transitions");
        foreach (var t in result.Transitions)
        {
            json.WriteStartObject();
            json.WriteNumber("from", t.From);
            json.WriteNumber("to", t.To);
            json.WriteNumber("settleNs", t.SettleNs);
            json.WriteNumber("settleMaxNs", t.SettleMaxNs);
            json.WriteBoolean("settled", t.Settled);
            json.WriteNumber("firmwareNs", t.FirmwareLatencyNs);
            json.WriteNumber("firmwareMaxNs", t.FirmwareLatencyMaxNs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("worstSettleNs", result.WorstSettleNs);
        json.WriteNumber("pulseMarginNs", result.PulseMarginNs);
        json.WriteNumber("pulseArrivalNs", result.PulseArrivalAfterTriggerNs);
        json.WriteBoolean("feasibleAtRate", result.FeasibleAtRate);
        json.WriteNumber("slackNs", result.SlackNs);
        json.WriteNumber("maxPulseRateHz", Math.Round(result.MaxPulseRateHz, 1));
        json.WriteNumber("toleranceRad", result.ToleranceRad);
        json.WriteStartObject("model");
        json.WriteNumber("slewVoltsPerUs", result.SlewVoltsPerUs);
        json.WriteNumber("bandwidthHz", result.BandwidthHz);
        json.WriteNumber("muxTransitionNs", muxTransitionNs);
        json.WriteNumber("sampleNs", result.SampleNs);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteFromBoard(string path, string board, string role, BenchReportMessage report)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, Indented);
        json.WriteStartObject();
        json.WriteString("board", board);
        json.WriteString("role", role);
        json.WriteString("source", "board");
        json.WriteNumber("rateHz", report.RateHz);
        json.WriteNumber("periodNs", 1_000_000_000L / Math.Max(1u, report.RateHz));
        json.WriteNumber("repeats", report.Repeats);
        json.WriteStartArray("transitions");
        foreach (var t in report.Timings ?? [])
        {
            if (t is null) continue;
            json.WriteStartObject();
            json.WriteNumber("from", t.From);
            json.WriteNumber("to", t.To);
            json.WriteNull("settleNs");
            json.WriteNumber("firmwareNs", t.SettleNs);
            json.WriteNumber("firmwareMaxNs", t.SettleMaxNs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNull("maxPulseRateHz");
        json.WriteNull("toleranceRad");
        json.WriteString("note", "settleNs needs a scope: trigger it on scope_sync and measure the EOM drive; firmwareNs is the board's trigger-to-MUX-written latency");
        json.WriteEndObject();
    }
}
