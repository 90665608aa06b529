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
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != metadata.KeyBits) throw new ArgumentException($"metadata says {metadata.KeyBits} key bits, the key has {key.Length}");
        var info = new KeyBlockInfo(metadata.SessionId, metadata.BlockNumber, metadata.Qber, metadata.Profile, metadata.Epsilon);
        var packed = key.ToPackedBytes();
        try
        {
            if (!_store.AddBlock(info, packed, key.Length))
                throw new IOException($"key block {metadata.BlockNumber} of session {metadata.SessionId} is already stored; refusing to store it twice");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(packed);
        }
    }

    public void Dispose() => _store.Dispose();
}
