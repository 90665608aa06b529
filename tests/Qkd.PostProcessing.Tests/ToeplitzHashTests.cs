using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.PostProcessing.Tests;

public class ToeplitzHashTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 1)]
    [InlineData(64, 64)]
    [InlineData(100, 37)]
    [InlineData(129, 129)]
    [InlineData(777, 300)]
    [InlineData(1000, 1)]
    [InlineData(1500, 1500)]
    [InlineData(2113, 1031)]
    public void FastEqualsDirectProduct(int n, int l)
    {
        var rng = new Random(n * 31 + l);
        var x = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        var expected = ToeplitzHash.HashDirect(x, seed, l);
        Assert.True(expected.ContentEquals(new ToeplitzHash().Hash(x, seed, l)), "hardware path differs");
        Assert.True(expected.ContentEquals(new ToeplitzHash(useHardware: false, parallelDepth: 0).Hash(x, seed, l)), "portable path differs");
    }

    [Fact]
    public void LastOutputBitDependsOnLastSeedBit()
    {
        // y_{l-1} = XOR_j s[l - 1 - j + n - 1] x_j: with x = e_0 it is exactly the last seed bit.
        int n = 200, l = 150;
        var x = new BitVector(n) { [0] = true };
        var seed = new BitVector(n + l - 1) { [n + l - 2] = true };
        var y = new ToeplitzHash().Hash(x, seed, l);
        Assert.True(y[l - 1]);
        Assert.Equal(1, y.PopCount());
    }

    [Fact]
    public void LargeInputMatchesSampledDirectBits()
    {
        // Exercises the parallel Karatsuba levels; checks a sample of output bits against the definition.
        int n = 300_001, l = 120_007;
        var rng = new Random(3);
        var x = BitVector.Random(n, rng);
        var seed = BitVector.Random(n + l - 1, rng);
        var y = new ToeplitzHash().Hash(x, seed, l);
        foreach (int i in new[] { 0, 1, 63, 64, 65_536, l - 2, l - 1 })
        {
            bool bit = false;
            for (int j = 0; j < n; j++)
                if (x[j] && seed[i - j + n - 1]) bit = !bit;
            Assert.Equal(bit, y[i]);
        }
    }

    [Fact]
    public void BadLengthsAreRefused()
    {
        var x = new BitVector(100);
        Assert.Throws<ArgumentException>(() => new ToeplitzHash().Hash(x, new BitVector(150), 0));
        Assert.Throws<ArgumentException>(() => new ToeplitzHash().Hash(x, new BitVector(300), 101));
        var ex = Assert.Throws<ArgumentException>(() => new ToeplitzHash().Hash(x, new BitVector(148), 50));
        Assert.Contains("149", ex.Message);
    }

    [SkippableFact]
    public void PortableCarrylessMultiplyMatchesHardware()
    {
        Skip.IfNot(CarrylessMultiply.HardwareAvailable, "no PCLMULQDQ on this CPU");
        var rng = new Random(1);
        for (int k = 0; k < 2000; k++)
        {
            ulong a = (ulong)rng.NextInt64(long.MinValue, long.MaxValue), b = (ulong)rng.NextInt64(long.MinValue, long.MaxValue);
            ulong lo = CarrylessMultiply.Multiply(a, b, out ulong hi);
            Assert.Equal(lo, CarrylessMultiply.Portable(a, b, out ulong phi));
            Assert.Equal(hi, phi);
        }
        // (x + 1)(x^2 + x + 1) = x^3 + 1 over GF(2); x^63 * x^63 = x^126 lands in the high word.
        Assert.Equal(0b1001UL, CarrylessMultiply.Portable(0b11, 0b111, out ulong h1));
        Assert.Equal(0UL, h1);
        Assert.Equal(0UL, CarrylessMultiply.Portable(1UL << 63, 1UL << 63, out ulong h2));
        Assert.Equal(1UL << 62, h2);
    }
}
