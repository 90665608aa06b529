using System.Globalization;
using System.Text.Json;

namespace Qkd.Agent.Reports;

/// <summary>One post-processed block as logged in blocks.jsonl (Qber NaN: not estimated). No key material: counts and rates only.</summary>
public sealed record BlockRecord(
    long Block, long Pulses, long Detections, long SiftedBits, double Qber,
    long RawKeyBits, long SecretKeyBits, double Seconds, long BlockBits);

/// <summary>A blocks.jsonl line that cannot be used; <see cref="Line"/> is 1-based.</summary>
public sealed class SessionLogException(string path, int line, string problem)
    : Exception($"{path} line {line}: {problem}")
{
    public int Line { get; } = line;
}

/// <summary>
/// Reads blocks.jsonl (written by Sessions/BlockJournal): one JSON object per line, one line per finished
/// block. Fields, camelCase: block, pulses, detections, siftedBits, qber, rawKeyBits, secretKeyBits, seconds,
/// blockBits; others are ignored. qber is null for a block too small to estimate: read as NaN (missing).
/// </summary>
public static class SessionLog
{
    public const string FileName = "blocks.jsonl";

    /// <summary>Reads every record; a missing file, bad line or empty log throws naming the file and line.</summary>
    public static IReadOnlyList<BlockRecord> Read(string path)
    {
        var records = new List<BlockRecord>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            records.Add(Parse(path, lineNumber, line));
        }
        if (records.Count == 0) throw new SessionLogException(path, Math.Max(1, lineNumber), "no block records.");
        return records;
    }

    private static BlockRecord Parse(string path, int line, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) throw new SessionLogException(path, line, "not a JSON object.");
            var record = new BlockRecord(
                Long(o, "block"), Long(o, "pulses"), Long(o, "detections"), Long(o, "siftedBits"), OptionalDouble(o, "qber"),
                Long(o, "rawKeyBits"), Long(o, "secretKeyBits"), Double(o, "seconds"), Long(o, "blockBits"));
            if (record.Pulses < 0 || record.Detections < 0 || record.SiftedBits < 0 || record.RawKeyBits < 0 ||
                record.SecretKeyBits < 0 || record.BlockBits < 0 || record.Seconds < 0)
                throw new SessionLogException(path, line, "negative count or time.");
            if (!double.IsNaN(record.Qber) && !(record.Qber is >= 0 and <= 1)) throw new SessionLogException(path, line, $"qber {record.Qber.ToString(CultureInfo.InvariantCulture)} is outside [0, 1].");
            return record;
        }
        catch (JsonException ex)
        {
            throw new SessionLogException(path, line, $"not valid JSON ({ex.Message}).");
        }
        catch (KeyNotFoundException ex)
        {
            throw new SessionLogException(path, line, ex.Message);
        }

        static JsonElement Field(JsonElement o, string name) =>
            o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
                ? value
                : throw new KeyNotFoundException($"field '{name}' is missing or not a number.");

        long Long(JsonElement o, string name) =>
            Field(o, name).TryGetInt64(out long v) ? v : throw new SessionLogException(path, line, $"field '{name}' is not an integer.");

        double Double(JsonElement o, string name) => Field(o, name).GetDouble();

        double OptionalDouble(JsonElement o, string name) =>
            o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null ? double.NaN : Double(o, name);
    }
}
