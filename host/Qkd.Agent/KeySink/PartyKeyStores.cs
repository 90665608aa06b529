using Qkd.Agent.Keys;
using Qkd.PostProcessing.Bits;

namespace Qkd.Agent.KeySink;

/// <summary>
/// Both parties' key stores when one process plays Alice and Bob (`qkd run`, `qkd simulate`):
/// DATA/alice/keys.db and DATA/bob/keys.db, each filled with that party's own key, so `qkd keys export`
/// or `qkd otp` on each side hand out the same bits in the same order. Storing is idempotent on
/// (session, block), as the store is: a resumed session re-processes a block whose key may already be
/// stored, and the second copy changes nothing.
/// </summary>
public sealed class PartyKeyStores : IKeySink, IDisposable
{
    private readonly KeyStore _alice;
    private readonly KeyStore _bob;

    public PartyKeyStores(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        _alice = KeyStore.Open(AliceDirectory(dataDirectory));
        _bob = KeyStore.Open(BobDirectory(dataDirectory));
    }

    public static string AliceDirectory(string dataDirectory) => Path.Combine(dataDirectory, "alice");

    public static string BobDirectory(string dataDirectory) => Path.Combine(dataDirectory, "bob");

    public void Store(KeyBlockMetadata metadata, BitVector key)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var store = metadata.Role switch
        {
            "alice" => _alice,
            "bob" => _bob,
            _ => throw new ArgumentException($"role '{metadata.Role}' is neither alice nor bob"),
        };
        KeyStoreSink.AddBlock(store, metadata, key);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }
}
