using System.Text.Json;
using System.Text.Json.Serialization;
using Qkd.Agent.Sessions;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.RawData;

/// <summary>What session.json records about a raw-data session (no seeds, no secrets).</summary>
public sealed class RawSession
{
    [JsonPropertyName("format")] public string Format { get; init; } = "qkd-raw";
    [JsonPropertyName("version")] public int Version { get; init; } = RawBlockFormat.Version;

    /// <summary>Public identifier both halves share (checked in the post-processing hello).</summary>
    [JsonPropertyName("sessionId")] public string SessionId { get; init; } = Guid.NewGuid().ToString("N");

    [JsonPropertyName("preset")] public string? Preset { get; init; }
    [JsonPropertyName("boardAlice")] public string? BoardAlice { get; init; }
    [JsonPropertyName("boardBob")] public string? BoardBob { get; init; }
    [JsonPropertyName("createdUtc")] public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;
}

/// <summary>
/// A raw-data directory: session.json, alice/ and bob/ with one file per block (README.md). Each role
/// touches only its own half.
/// </summary>
public sealed class RawDataDirectory
{
    public const string SessionFile = "session.json";

    private RawDataDirectory(string root, RawSession session)
    {
        Root = root;
        Session = session;
    }

    public string Root { get; }

    public RawSession Session { get; }

    public static RawDataDirectory Create(string root, RawSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Directory.CreateDirectory(Path.Combine(root, "alice"));
        Directory.CreateDirectory(Path.Combine(root, "bob"));
        DurableFile.WriteAllBytes(Path.Combine(root, SessionFile), JsonSerializer.SerializeToUtf8Bytes(session, new JsonSerializerOptions { WriteIndented = true }));
        return new RawDataDirectory(root, session);
    }

    public static RawDataDirectory Open(string root)
    {
        string path = Path.Combine(root, SessionFile);
        if (!File.Exists(path)) throw new RawDataException(path, 0, "file not found (is this a raw-data directory?)");
        RawSession? session;
        try
        {
            session = JsonSerializer.Deserialize<RawSession>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new RawDataException(path, e.BytePositionInLine ?? 0, $"not valid JSON: {e.Message}");
        }
        if (session is null || session.Format != "qkd-raw")
            throw new RawDataException(path, 0, "not a qkd-raw session file");
        if (session.Version != RawBlockFormat.Version)
            throw new RawDataException(path, 0, $"session version {session.Version} is not supported");
        return new RawDataDirectory(root, session);
    }

    public string AlicePath(long blockNumber) => Path.Combine(Root, "alice", RawBlockFormat.FileName(blockNumber));

    public string BobPath(long blockNumber) => Path.Combine(Root, "bob", RawBlockFormat.FileName(blockNumber));

    public void WriteAlice(AliceBlock block) => RawBlockWriter.WriteAlice(AlicePath(block.BlockNumber), block);

    public void WriteBob(BobBlock block) => RawBlockWriter.WriteBob(BobPath(block.BlockNumber), block);

    public AliceBlock ReadAlice(long blockNumber) => RawBlockReader.ReadAlice(AlicePath(blockNumber));

    public BobBlock ReadBob(long blockNumber) => RawBlockReader.ReadBob(BobPath(blockNumber));

    /// <summary>Block numbers present in one role's half ("alice" or "bob"), ascending.</summary>
    public long[] BlockNumbers(string role)
    {
        string folder = Path.Combine(Root, role);
        if (!Directory.Exists(folder)) throw new RawDataException(folder, 0, $"the {role} half is missing");
        var numbers = new List<long>();
        foreach (string file in Directory.EnumerateFiles(folder, "block-*.qkdraw"))
        {
            string stem = Path.GetFileNameWithoutExtension(file)["block-".Length..];
            if (long.TryParse(stem, out long n)) numbers.Add(n);
        }
        numbers.Sort();
        return numbers.ToArray();
    }
}
