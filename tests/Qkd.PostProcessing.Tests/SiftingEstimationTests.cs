using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.Sifting;

namespace Qkd.PostProcessing.Tests;

public class SiftingEstimationTests
{
    private sealed record Block(byte[] Alice, BitVector BobBases, long[] Pulses, byte[] Codes, int DoubleClicks, int Matching);

    // A block where every 5th pulse is detected, one detection in 50 is a double click, and Bob's bit is
    // wrong with probability qber when the bases match.
    private static Block Simulate(int pulses, double qber, int seed)
    {
        var rng = new Random(seed);
        var alice = new byte[pulses];
        var bobBases = new BitVector(pulses);
        var indices = new List<long>();
        var codes = new List<byte>();
        int doubles = 0, matching = 0;
        for (int p = 0; p < pulses; p++)
        {
            alice[p] = (byte)rng.Next(4);
            bobBases[p] = rng.Next(2) == 1;
            if (rng.Next(5) != 0) continue;
            indices.Add(p);
            if (rng.Next(50) == 0) { codes.Add(DetectorCode.Both); doubles++; continue; }
            bool match = (alice[p] >> 1) == (bobBases[p] ? 1 : 0);
            bool bit = match ? ((alice[p] & 1) == 1) ^ (rng.NextDouble() < qber) : rng.Next(2) == 1;
            if (match) matching++;
            codes.Add(bit ? DetectorCode.Apd1 : DetectorCode.Apd0);
        }
        return new Block(alice, bobBases, indices.ToArray(), codes.ToArray(), doubles, matching);
    }

    [Fact]
    public void SiftKeepsMatchingSingleClicksAndCountsDoubleClicks()
    {
        var b = Simulate(200_000, 0.05, 1);
        var s = Sifter.Sift(b.Alice, b.BobBases, b.Pulses, b.Codes);
        Assert.Equal(b.DoubleClicks, s.DoubleClicks);
        Assert.True(s.DoubleClicks > 0);
        Assert.Equal(b.Matching, s.SiftedBits);
        Assert.Equal(b.Pulses.Length - b.DoubleClicks - b.Matching, s.BasisMismatches);
        foreach (var (basis, bits) in new[] { (0, s.Z), (1, s.X) })
            for (int i = 0; i < bits.Pulses.Length; i += 97)
            {
                byte v = b.Alice[bits.Pulses[i]];
                Assert.Equal(basis, v >> 1);
                Assert.Equal((v & 1) == 1, bits.Alice[i]);
            }
        double errors = s.Z.Alice.HammingDistance(s.Z.Bob) + s.X.Alice.HammingDistance(s.X.Bob);
        Assert.InRange(errors / s.SiftedBits, 0.04, 0.06);
    }

    [Fact]
    public void EstimationUsesASharedDeterministicSampleAndRemovesIt()
    {
        var b = Simulate(200_000, 0.05, 2);
        var s = Sifter.Sift(b.Alice, b.BobBases, b.Pulses, b.Codes);
        int m = s.SiftedBits / 4;
        var e1 = ParameterEstimation.Estimate(s, m, sharedSeed: 42);
        var e2 = ParameterEstimation.Estimate(s, m, sharedSeed: 42);
        Assert.Equal(s.SiftedBits - m, e1.AliceKey.Length);
        Assert.True(e1.AliceKey.ContentEquals(e2.AliceKey));
        Assert.Equal(e1.Overall.Errors, e2.Overall.Errors);
        Assert.Equal(m, e1.Z.SampleBits + e1.X.SampleBits);
        Assert.Equal(e1.Overall.Errors, e1.Z.Errors + e1.X.Errors);
        Assert.InRange(e1.Overall.Qber, 0.04, 0.06);
        Assert.InRange(e1.Z.Qber, 0.035, 0.065);
        Assert.True(e1.Overall.HoeffdingUpper > e1.Overall.Qber && e1.Overall.XiUpper > e1.Overall.Qber);
        // The remaining key holds the errors not disclosed.
        int totalErrors = s.Z.Alice.HammingDistance(s.Z.Bob) + s.X.Alice.HammingDistance(s.X.Bob);
        Assert.Equal(totalErrors - e1.Overall.Errors, e1.AliceKey.HammingDistance(e1.BobKey));
        var other = ParameterEstimation.Estimate(s, m, sharedSeed: 43);
        Assert.False(other.AliceKey.ContentEquals(e1.AliceKey));
    }

    [Fact]
    public void SampleIsDistinctSortedAndReproducible()
    {
        int[] a = SharedSample.Choose(1000, 300, 7);
        Assert.Equal(a, SharedSample.Choose(1000, 300, 7));
        Assert.Equal(300, a.Distinct().Count());
        Assert.Equal(a.OrderBy(i => i), a);
        int[] rest = SharedSample.Complement(1000, a);
        Assert.Equal(Enumerable.Range(0, 1000), a.Concat(rest).OrderBy(i => i));
        // Every position is about equally likely to be drawn.
        var hits = new int[10];
        for (ulong seed = 0; seed < 2000; seed++) foreach (int i in SharedSample.Choose(10, 1, seed)) hits[i]++;
        Assert.All(hits, h => Assert.InRange(h, 140, 260));
    }

    [Fact]
    public void CorruptRecordsAreRefusedWithAClearMessage()
    {
        var alice = new byte[] { 0, 1, 2, 3 };
        var bases = new BitVector(4);
        Assert.Contains("outside the block", Assert.Throws<ArgumentException>(() => Sifter.Sift(alice, bases, new long[] { 4 }, new byte[] { 1 })).Message);
        Assert.Contains("does not increase", Assert.Throws<ArgumentException>(() => Sifter.Sift(alice, bases, new long[] { 2, 2 }, new byte[] { 1, 1 })).Message);
        Assert.Contains("detector code", Assert.Throws<ArgumentException>(() => Sifter.Sift(alice, bases, new long[] { 1 }, new byte[] { 9 })).Message);
        Assert.Throws<ArgumentException>(() => Sifter.Sift(alice, new BitVector(5), new long[0], new byte[0]));
        Assert.Throws<ArgumentException>(() => SharedSample.Choose(10, 11, 1));
    }
}
