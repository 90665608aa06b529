using System.Globalization;
using System.Text.Json;
using Qkd.PostProcessing.Bits;

namespace Qkd.Agent.Sessions;

/// <summary>
/// DIR/blocks.jsonl: one JSON line per post-processed block (read by `qkd report`), appended and synced.
/// Fields: block, pulses, detections, doubleClicks, siftedBits (both bases), sampleBits (disclosed for
/// estimation), qber, rawKeyBits (sifted minus sample: into reconciliation), blockBits (reconciled bits
/// into privacy amplification, the finite-key block size), secretKeyBits, keysMatch, seconds.
/// </summary>
public sealed class BlockJournal(string path)
{
    public string Path { get; } = path;

    public void Append(BlockOutcome o, double seconds)
    {
        string F(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
        DurableFile.AppendLine(Path,
            $"{{\"block\":{o.BlockId},\"pulses\":{o.Pulses},\"detections\":{o.Detections},\"doubleClicks\":{o.DoubleClicks}," +
            $"\"siftedBits\":{o.SiftedBits},\"sampleBits\":{o.SampleBits},\"qber\":{F(o.Qber)},\"rawKeyBits\":{o.RawKeyBits}," +
            $"\"blockBits\":{o.ReconciledBits},\"secretKeyBits\":{o.SecretKeyBits},\"keysMatch\":{(o.KeysMatch ? "true" : "false")}," +
            $"\"seconds\":{F(seconds)}}}");
    }

    /// <summary>Every complete line (a torn last line from a crash is ignored: its block is processed again).</summary>
    public List<JournalLine> Read()
    {
        var lines = new List<JournalLine>();
        if (!File.Exists(Path)) return lines;
        foreach (var text in File.ReadAllLines(Path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                using var doc = JsonDocument.Parse(text);
                var r = doc.RootElement;
                lines.Add(new JournalLine((uint)r.GetProperty("block").GetInt64(), r.GetProperty("pulses").GetInt64(),
                    r.GetProperty("detections").GetInt64(), r.GetProperty("siftedBits").GetInt64(), r.GetProperty("sampleBits").GetInt64(),
                    r.GetProperty("qber").ValueKind == JsonValueKind.Number ? r.GetProperty("qber").GetDouble() : double.NaN,
                    r.GetProperty("rawKeyBits").GetInt64(), r.GetProperty("secretKeyBits").GetInt64(), r.GetProperty("keysMatch").GetBoolean()));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // torn line
            }
        }
        return lines;
    }
}

public sealed record JournalLine(uint Block, long Pulses, long Detections, long SiftedBits, long SampleBits, double Qber, long RawKeyBits, long SecretKeyBits, bool KeysMatch);

/// <summary>DIR/discarded.jsonl: blocks measured only in part (board reset, link loss) and dropped, with the reason.</summary>
public sealed class DiscardLog(string path)
{
    public void Append(uint blockId, string reason) =>
        DurableFile.AppendLine(path, $"{{\"block\":{blockId},\"reason\":{JsonSerializer.Serialize(reason)},\"time\":\"{DateTime.UtcNow:O}\"}}");

    public int Count() => File.Exists(path) ? File.ReadLines(path).Count(l => l.Length > 0) : 0;

    public List<uint> Blocks() => !File.Exists(path) ? [] :
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => { using var d = JsonDocument.Parse(l); return (uint)d.RootElement.GetProperty("block").GetInt64(); }).ToList();
}
