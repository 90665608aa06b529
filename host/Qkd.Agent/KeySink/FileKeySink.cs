using System.Globalization;
using System.Text;
using Qkd.PostProcessing.Bits;

namespace Qkd.Agent.KeySink;

/// <summary>
/// Stand-in key storage until the SQLite store is connected: DATA/keys/SESSION/ROLE-block-NNNNNN.key
/// (packed bits, LSB first) written to a temporary name, fsynced and renamed, then one JSON line in
/// DATA/keys/SESSION/ROLE-index.jsonl. A block already stored is refused.
/// </summary>
public sealed class FileKeySink : IKeySink
{
    private readonly string _root;
    private readonly object _gate = new();

    public FileKeySink(string dataDirectory)
    {
        _root = Path.Combine(dataDirectory ?? throw new ArgumentNullException(nameof(dataDirectory)), "keys");
    }

    public void Store(KeyBlockMetadata metadata, BitVector key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != metadata.KeyBits) throw new ArgumentException($"metadata says {metadata.KeyBits} key bits, the key has {key.Length}");
        lock (_gate)
        {
            string folder = Path.Combine(_root, metadata.SessionId);
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, $"{metadata.Role}-block-{metadata.BlockNumber:D6}.key");
            if (File.Exists(path)) throw new IOException($"key block {metadata.BlockNumber} of session {metadata.SessionId} is already stored; refusing to store it twice");
            string temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(key.ToPackedBytes());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path);
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{{\"session\":\"{metadata.SessionId}\",\"block\":{metadata.BlockNumber},\"role\":\"{metadata.Role}\",\"qber\":{metadata.Qber:R},\"profile\":\"{metadata.Profile}\",\"epsilon\":{metadata.Epsilon:R},\"keyBits\":{metadata.KeyBits},\"createdUtc\":\"{metadata.CreatedUtc:O}\"}}\n");
            using var index = new FileStream(Path.Combine(folder, $"{metadata.Role}-index.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read);
            index.Write(Encoding.UTF8.GetBytes(line));
            index.Flush(flushToDisk: true);
        }
    }

    /// <summary>The key files stored for a session and role, ascending by block (for tests and tools).</summary>
    public IReadOnlyList<string> StoredFiles(string sessionId, string role)
    {
        string folder = Path.Combine(_root, sessionId);
        if (!Directory.Exists(folder)) return Array.Empty<string>();
        return Directory.GetFiles(folder, $"{role}-block-*.key").Order(StringComparer.Ordinal).ToArray();
    }
}
