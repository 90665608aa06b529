namespace Qkd.Agent.Keys;

/// <summary>What the post-processing knows about one finished key block (everything but the key).</summary>
public sealed record KeyBlockInfo(string Session, long Block, double Qber, string Profile, double Epsilon);

/// <summary>One stored block as <see cref="KeyStore.List"/> shows it: metadata and cursor, never key bits.</summary>
public sealed record KeyBlockSummary(
    long Id, string Session, long Block, double Qber, string Profile, double Epsilon,
    long BitLength, long ConsumedBits, DateTimeOffset CreatedUtc)
{
    public long AvailableBits => BitLength - ConsumedBits;
}

/// <summary>A run of key bits inside one block: bits [BitOffset, BitOffset + BitLength) of (Session, Block).</summary>
public sealed record KeyRange(string Session, long Block, long BitOffset, long BitLength);

/// <summary>
/// Key bits handed out by the store, packed LSB-first (bit i = (Bits[i/8] &gt;&gt; i%8) &amp; 1), and where they
/// came from. Not a record: its printed form must never show key material.
/// </summary>
public sealed class KeyExport
{
    internal KeyExport(byte[] bits, long bitLength, IReadOnlyList<KeyRange> ranges, long discardedBits = 0)
    {
        Bits = bits;
        BitLength = bitLength;
        Ranges = ranges;
        DiscardedBits = discardedBits;
    }

    public byte[] Bits { get; }
    public long BitLength { get; }
    public IReadOnlyList<KeyRange> Ranges { get; }

    /// <summary>Unconsumed bits that had to be burned to follow the sender's ranges (decrypt side only).</summary>
    public long DiscardedBits { get; }

    public override string ToString() => $"KeyExport({BitLength} bits in {Ranges.Count} range(s))";
}
