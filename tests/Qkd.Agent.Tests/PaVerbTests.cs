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

    [Fact]
    public void MissingInputFileExitsTwo()
    {
        var (exit, _, error) = CliTests.Run("pa", "--in", Path("none.bin"), "--bits", "10", "--seed", Path("none2.bin"),
            "--out-bits", "5", "--out", Path("y.bin"));
        Assert.Equal(2, exit);
        Assert.Contains("none.bin", error);
    }
}
