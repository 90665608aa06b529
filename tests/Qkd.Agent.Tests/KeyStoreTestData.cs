using Qkd.Agent.Keys;

namespace Qkd.Agent.Tests;

/// <summary>Temporary data folders and recognisable key blocks for the key store tests.</summary>
internal sealed class TempDataDir : IDisposable
{
    public TempDataDir() => Path = Directory.CreateTempSubdirectory("qkd-keystore-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } // a killed helper may still hold a handle briefly
    }
}

internal static class KeyStoreTestData
{
    /// <summary>Key bytes unique enough per (block, index) that a misplaced or repeated bit shows.</summary>
    public static byte[] KeyBytes(long block, int bytes, int seed = 0)
    {
        var random = new Random(HashCode.Combine(block, seed));
        var key = new byte[bytes];
        random.NextBytes(key);
        return key;
    }

    public static KeyBlockInfo Info(long block, string session = "s1") => new(session, block, 0.031, "hbn-2023", 1e-10);

    public static bool Bit(ReadOnlySpan<byte> packed, long index) => ((packed[(int)(index >> 3)] >> (int)(index & 7)) & 1) != 0;

    /// <summary>The bits of <paramref name="packed"/> from <paramref name="from"/>, one per element (for plain comparisons).</summary>
    public static bool[] Bits(ReadOnlySpan<byte> packed, long from, long count)
    {
        var bits = new bool[count];
        for (long i = 0; i < count; i++) bits[i] = Bit(packed, from + i);
        return bits;
    }
}
