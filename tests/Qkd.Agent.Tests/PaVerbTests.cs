using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.Agent.Tests;

public sealed class PaVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qkd-pa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    [Fact]
    public void WritesTheToeplitzHashOfTheInputAndPrintsNoKeyBits()
    {
        var rng = new Random(7);
        var key = BitVector.Random(1001, rng);
        var seed = BitVector.Random(1001 + 300 - 1, rng);
        key.WriteFile(Path("x.bin"));
        seed.WriteFile(Path("s.bin"));
        var (exit, output, _) = CliTests.Run("pa", "--in", Path("x.bin"), "--bits", "1001", "--seed", Path("s.bin"),
            "--out-bits", "300", "--out", Path("y.bin"));
        Assert.Equal(0, exit);
        var y = BitVector.ReadFile(Path("y.bin"), 300);
        Assert.True(ToeplitzHash.HashDirect(key, seed, 300).ContentEquals(y));
        Assert.Equal(38, new FileInfo(Path("y.bin")).Length);
        Assert.DoesNotContain(Convert.ToHexString(y.ToPackedBytes()).Substring(0, 8), output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1000, 1001, "exceeds")]
    [InlineData(1000, 0, "must be > 0")]
    [InlineData(1000, -5, "must be > 0")]
    [InlineData(1000, 600, "bytes")] // seed file (1300 bits) shorter than 1000 + 600 - 1
    [InlineData(2000, 100, "bytes")] // input file shorter than 2000 bits
    public void BadLengthsExitTwoAndWriteNothing(int bits, int outBits, string expected)
    {
        BitVector.Random(1000, new Random(1)).WriteFile(Path("x.bin"));
        BitVector.Random(1300, new Random(2)).WriteFile(Path("s.bin"));
        var (exit, _, error) = CliTests.Run("pa", "--in", Path("x.bin"), "--bits", bits.ToString(), "--seed", Path("s.bin"),
            "--out-bits", outBits.ToString(), "--out", Path("y.bin"));
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(Path("y.bin")));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("ntt")]
    [InlineData("karatsuba")]
    [InlineData("additivefft")]
    public void RoundTripBothPartiesGetTheSameKeyOnTheNttPath(string method)
    {
        // 70,000 bits, each method (Auto: the additive FFT where vectorized, else the NTT); Alice and Bob hash equal
        // keys with one seed.
        int n = 70_000, l = 17_777;
        var rng = new Random(11);
        var key = BitVector.Random(n, rng);
        var seed = BitVector.Random(n + l - 1, rng);
        key.WriteFile(Path("alice.bin"));
        key.WriteFile(Path("bob.bin"));
        seed.WriteFile(Path("s.bin"));
        foreach (string party in new[] { "alice", "bob" })
        {
            var (exit, _, error) = CliTests.Run("pa", "--in", Path(party + ".bin"), "--bits", n.ToString(), "--seed", Path("s.bin"),
                "--out-bits", l.ToString(), "--out", Path(party + ".key"), "--method", method);
            Assert.True(exit == 0, error);
        }
        var alice = BitVector.ReadFile(Path("alice.key"), l);
        Assert.True(alice.ContentEquals(BitVector.ReadFile(Path("bob.key"), l)));
        Assert.True(new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(key, seed, l).ContentEquals(alice));
        Assert.Equal((l + 7) / 8, new FileInfo(Path("alice.key")).Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(100)]
    public void SeedFileOfTheWrongLengthIsRefused(int extraBytes)
    {
        int n = 20_000, l = 5_000, seedBytes = (n + l - 1 + 7) / 8;
        BitVector.Random(n, new Random(1)).WriteFile(Path("x.bin"));
        File.WriteAllBytes(Path("s.bin"), new byte[seedBytes + extraBytes]);
        var (exit, _, error) = CliTests.Run("pa", "--in", Path("x.bin"), "--bits", n.ToString(), "--seed", Path("s.bin"),
            "--out-bits", l.ToString(), "--out", Path("y.bin"));
        Assert.Equal(2, exit);
        Assert.Contains($"has {seedBytes + extraBytes} bytes", error);
        Assert.Contains($"exactly {seedBytes} bytes", error);
        Assert.False(File.Exists(Path("y.bin")));
    }

    [Fact]
    public void MissingInputFileExitsTwo()
    {
        var (exit, _, error) = CliTests.Run("pa", "--in", Path("none.bin"), "--bits", "10", "--seed", Path("none2.bin"),
            "--out-bits", "5", "--out", Path("y.bin"));
        Assert.Equal(2, exit);
        Assert.Contains("none.bin", error);
    }
}
