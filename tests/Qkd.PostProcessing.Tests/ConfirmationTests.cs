using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.Tests;

public class ConfirmationTests
{
    // Independent reference: shift-and-add multiplication with reduction by x^64 + x^4 + x^3 + x + 1.
    private static ulong ReferenceMultiply(ulong a, ulong b)
    {
        ulong result = 0;
        for (int i = 0; i < 64; i++)
        {
            if (((b >> i) & 1) != 0) result ^= a;
            bool carry = (a >> 63) != 0;
            a <<= 1;
            if (carry) a ^= 0x1B;
        }
        return result;
    }

    [Fact]
    public void FieldMultiplyMatchesReferenceOnBothPaths()
    {
        var rng = new Random(4);
        for (int k = 0; k < 1000; k++)
        {
            ulong a = (ulong)rng.NextInt64(long.MinValue, long.MaxValue), b = (ulong)rng.NextInt64(long.MinValue, long.MaxValue);
            ulong expected = ReferenceMultiply(a, b);
            Assert.Equal(expected, Gf64.Multiply(a, b, useHardware: true));
            Assert.Equal(expected, Gf64.Multiply(a, b, useHardware: false));
        }
        Assert.Equal(0x1BUL, Gf64.Multiply(1UL << 63, 2)); // x^63 * x = x^64 = x^4 + x^3 + x + 1
    }

    [Fact]
    public void TagIsTheHornerPolynomialAndPathsAgree()
    {
        var frame = BitVector.Random(10_000, new Random(5));
        ulong key = 0x9E3779B97F4A7C15UL;
        ulong h = 0;
        foreach (ulong w in frame.Words) h = ReferenceMultiply(h ^ w, key);
        h = ReferenceMultiply(h ^ 10_000UL, key);
        Assert.Equal(h, new PolynomialHash64(key).Tag(frame));
        Assert.Equal(h, new PolynomialHash64(key, useHardware: false).Tag(frame));
    }

    [Fact]
    public void AnySingleBitFlipChangesTheTag()
    {
        var frame = BitVector.Random(1000, new Random(6));
        var hash = new PolynomialHash64(0x0123456789ABCDEFUL);
        ulong tag = hash.Tag(frame);
        for (int i = 0; i < frame.Length; i += 37)
        {
            frame[i] = !frame[i];
            Assert.NotEqual(tag, hash.Tag(frame));
            frame[i] = !frame[i];
        }
        Assert.Equal(tag, hash.Tag(frame));
    }

    [Fact]
    public void ZeroFramesOfDifferentLengthDiffer()
    {
        var hash = new PolynomialHash64(0xDEADBEEFUL);
        Assert.NotEqual(hash.Tag(new BitVector(64)), hash.Tag(new BitVector(128)));
    }

    [Fact]
    public void MismatchingFramesAreDiscardedAndCounted()
    {
        var rng = new Random(8);
        var alice = Enumerable.Range(0, 5).Select(_ => BitVector.Random(10_000, rng)).ToArray();
        var bob = alice.Select(f => f.Slice(0, f.Length)).ToArray();
        bob[1][17] = !bob[1][17];
        bob[4][9_999] = !bob[4][9_999];
        var hash = new PolynomialHash64(0x5555AAAA1234UL);
        var result = FrameConfirmation.Compare(FrameConfirmation.Tags(alice, hash), FrameConfirmation.Tags(bob, hash));
        Assert.Equal(new[] { 0, 2, 3 }, result.ConfirmedFrames);
        Assert.Equal(2, result.FailedFrames);
        Assert.Equal(5 * 64, result.DisclosedBits);
    }

    [Fact]
    public void CollisionBoundIsDocumentedPerFrameWords()
    {
        Assert.Equal(158 / Math.Pow(2, 64), PolynomialHash64.CollisionProbability(157));
    }
}
