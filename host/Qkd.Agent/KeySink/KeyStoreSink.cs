using Qkd.Agent.Keys;
using Qkd.PostProcessing.Bits;

namespace Qkd.Agent.KeySink;

/// <summary>
/// Finished key blocks into the SQLite key store (DATA/keys.db). The store is idempotent on
/// (session, block); a sink refuses the second copy, since a block finishing twice means a protocol fault.
/// </summary>
public sealed class KeyStoreSink : IKeySink, IDisposable
{
    private readonly KeyStore _store;

    public KeyStoreSink(string dataDirectory)
    {
        _store = KeyStore.Open(dataDirectory ?? throw new ArgumentNullException(nameof(dataDirectory)));
    }

    public void Store(KeyBlockMetadata metadata, BitVector key)
    {
        if (!AddBlock(_store, metadata, key))
            throw new IOException($"key block {metadata.BlockNumber} of session {metadata.SessionId} is already stored; refusing to store it twice");
    }

    /// <summary>Adds one block to <paramref name="store"/> (false when that (session, block) is already there); the packed copy is wiped.</summary>
    internal static bool AddBlock(KeyStore store, KeyBlockMetadata metadata, BitVector key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != metadata.KeyBits) throw new ArgumentException($"metadata says {metadata.KeyBits} key bits, the key has {key.Length}");
        var packed = key.ToPackedBytes();
        try
        {
            return store.AddBlock(new KeyBlockInfo(metadata.SessionId, metadata.BlockNumber, metadata.Qber, metadata.Profile, metadata.Epsilon), packed, key.Length);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(packed);
        }
    }

    public void Dispose() => _store.Dispose();
}
