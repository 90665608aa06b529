using Qkd.PostProcessing.Bits;

namespace Qkd.Agent.KeySink;

/// <summary>Public facts about one stored key block (never key bits).</summary>
public sealed record KeyBlockMetadata(
    string SessionId, long BlockNumber, string Role, double Qber, string Profile, double Epsilon, int KeyBits, DateTime CreatedUtc);

/// <summary>
/// Where finished keys go. Called once per block, only after both parties completed the block; an
/// implementation must make the block durable before returning and must refuse to store a block twice.
/// <see cref="KeyStoreSink"/> puts blocks into the SQLite key store (KeyStore/).
/// </summary>
public interface IKeySink
{
    void Store(KeyBlockMetadata metadata, BitVector key);
}
