using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Tests;

public class BitVectorTests
{
    private static bool[] RandomBools(int n, int seed)
    {
        var rng = new Random(seed);
        var b = new bool[n];
        for (int i = 0; i < n; i++) b[i] = rng.Next(2) == 1;
        return b;
    }

    private static BitVector FromBools(bool[] bits)
    {
        var v = new BitVector(bits.Length);
        for (int i = 0; i < bits.Length; i++) v[i] = bits[i];
        return v;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void IndexerPopCountAndXorMatchBoolArrays(int n)
    {
        bool[] a = RandomBools(n, n), b = RandomBools(n, n + 7);
        BitVector va = FromBools(a), vb = FromBools(b);
        int expectedPop = a.Count(x => x);
        int expectedDist = Enumerable.Range(0, n).Count(i => a[i] != b[i]);
        Assert.Equal(expectedPop, va.PopCount());
        Assert.Equal(expectedDist, va.HammingDistance(vb));
        va.XorWith(vb);
        for (int i = 0; i < n; i++) Assert.Equal(a[i] ^ b[i], va[i]);
        Assert.Equal(expectedDist, va.PopCount());
    }

    [Fact]
    public void ByteLayoutIsLsbFirst()
    {
        var v = new BitVector(12);
        v[0] = true; v[3] = true; v[9] = true;
        Assert.Equal(new byte[] { 0b0000_1001, 0b0000_0010 }, v.ToPackedBytes());
        var back = BitVector.FromPackedBytes(new byte[] { 0x09, 0xFE }, 12);
        Assert.True(back[0] && back[3] && back[9] && back[11]);
        Assert.Equal(0UL, back.Words[0] >> 12); // bits past Length cleared
    }

    [Fact]
    public void ConstructorFromWordsClearsTail()
    {
        var v = new BitVector(new[] { ulong.MaxValue, ulong.MaxValue }, 70);
        Assert.Equal(70, v.PopCount());
        Assert.Equal(0x3FUL, v.Words[1]);
    }

    [Theory]
    [InlineData(200, 0, 200)]
    [InlineData(200, 3, 130)]
    [InlineData(200, 64, 64)]
    [InlineData(200, 199, 1)]
    [InlineData(200, 17, 0)]
    public void SliceMatchesBits(int n, int start, int length)
    {
        bool[] a = RandomBools(n, 11);
        var s = FromBools(a).Slice(start, length);
        Assert.Equal(length, s.Length);
        for (int i = 0; i < length; i++) Assert.Equal(a[start + i], s[i]);
    }

    [Fact]
    public void CopyToUnalignedPreservesNeighbours()
    {
        bool[] a = RandomBools(300, 1), d = RandomBools(300, 2);
        var src = FromBools(a);
        var dst = FromBools(d);
        src.CopyTo(5, dst, 71, 150);
        for (int i = 0; i < 300; i++)
            Assert.Equal(i >= 71 && i < 221 ? a[i - 71 + 5] : d[i], dst[i]);
    }

    [Fact]
    public void CopyToWithinOneVectorHandlesOverlap()
    {
        bool[] a = RandomBools(300, 3);
        var v = FromBools(a);
        v.CopyTo(10, v, 40, 200);
        for (int i = 40; i < 240; i++) Assert.Equal(a[i - 30], v[i]);
    }

    [Fact]
    public void PermuteSelectsSourceIndices()
    {
        bool[] a = RandomBools(150, 4);
        var perm = Enumerable.Range(0, 150).Reverse().ToArray();
        var p = FromBools(a).Permute(perm);
        for (int i = 0; i < 150; i++) Assert.Equal(a[149 - i], p[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => FromBools(a).Permute(new[] { 150 }));
    }

    [Fact]
    public void FileRoundTripAndShortFileRefused()
    {
        var v = BitVector.Random(1001, new Random(5));
        string path = Path.GetTempFileName();
        try
        {
            v.WriteFile(path);
            Assert.Equal(126, new FileInfo(path).Length);
            Assert.True(v.ContentEquals(BitVector.ReadFile(path, 1001)));
            var prefix = BitVector.ReadFile(path, 500);
            Assert.True(v.Slice(0, 500).ContentEquals(prefix));
            var ex = Assert.Throws<InvalidDataException>(() => BitVector.ReadFile(path, 1009));
            Assert.Contains("127 bytes", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LengthMismatchRefused()
    {
        Assert.Throws<ArgumentException>(() => new BitVector(10).XorWith(new BitVector(11)));
        Assert.Throws<ArgumentException>(() => BitVector.FromPackedBytes(new byte[1], 9));
    }

    [Fact]
    public void RandomIsSeededAndBalanced()
    {
        var a = BitVector.Random(10_000, new Random(9));
        Assert.True(a.ContentEquals(BitVector.Random(10_000, new Random(9))));
        Assert.InRange(a.PopCount(), 4700, 5300);
    }
}
