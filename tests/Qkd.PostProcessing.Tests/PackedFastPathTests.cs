using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.Sifting;

namespace Qkd.PostProcessing.Tests;

/// <summary>The word-level estimation paths against their per-bit definitions.</summary>
public class PackedFastPathTests
{
    /// <summary>The sample as first defined: a full partial Fisher-Yates over an index array, then sorted.</summary>
    private static int[] ReferenceSample(int n, int m, ulong seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new SplitMix64(seed);
        for (int i = 0; i < m; i++)
        {
            ulong next = rng.Next();
            UInt128 product = (UInt128)next * (ulong)(n - i);
            ulong threshold = (0UL - (ulong)(n - i)) % (ulong)(n - i);
            while ((ulong)product < threshold) product = (UInt128)rng.Next() * (ulong)(n - i);
            int j = i + (int)(ulong)(product >> 64);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var sample = order.Take(m).ToArray();
        Array.Sort(sample);
        return sample;
    }

    private static BitVector MaskOf(int n, IEnumerable<int> positions)
    {
        var mask = new BitVector(n);
        foreach (int p in positions) mask[p] = true;
        return mask;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(63, 7)]
    [InlineData(64, 64)]
    [InlineData(65, 20)]
    [InlineData(1000, 300)]
    [InlineData(5000, 2500)]
    [InlineData(100_003, 10_000)]
    public void Shared_sample_is_the_reference_partial_Fisher_Yates(int n, int m)
    {
        for (ulong seed = 0; seed < 5; seed++)
        {
            var expected = ReferenceSample(n, m, seed * 0x9E3779B97F4A7C15UL + 3);
            Assert.Equal(expected, SharedSample.Choose(n, m, seed * 0x9E3779B97F4A7C15UL + 3));
            Assert.True(MaskOf(n, expected).ContentEquals(SharedSample.ChooseMask(n, m, seed * 0x9E3779B97F4A7C15UL + 3)));
        }
    }

    [Fact]
    public void Shared_sample_bounded_draws_reject_exactly_as_Lemire()
    {
        // A bound just above 2^63 rejects about half the draws: the rejection path must match the reference.
        var fast = new SplitMix64(11);
        var slow = new SplitMix64(11);
        ulong bound = (1UL << 63) + 12345;
        for (int i = 0; i < 200; i++)
        {
            UInt128 product = (UInt128)slow.Next() * bound;
            ulong threshold = (0UL - bound) % bound;
            while ((ulong)product < threshold) product = (UInt128)slow.Next() * bound;
            Assert.Equal((ulong)(product >> 64), fast.NextBelow(bound));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(5000)]
    [InlineData(10_001)]
    public void Select_Except_and_Assign_equal_the_per_bit_definitions(int n)
    {
        var rng = new Random(n);
        foreach (double density in new[] { 0.0, 0.03, 0.5, 0.97, 1.0 })
        {
            var bits = BitVector.Random(n, rng);
            var positions = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < density).ToArray();
            var mask = MaskOf(n, positions);
            var rest = SharedSample.Complement(n, positions);
            Assert.True(bits.Permute(positions).ContentEquals(bits.Select(mask)));
            Assert.True(bits.Permute(rest).ContentEquals(bits.Except(mask)));

            var values = BitVector.Random(positions.Length, rng);
            var naive = bits.Slice(0, n);
            for (int i = 0; i < positions.Length; i++) naive[positions[i]] = values[i];
            bits.Assign(mask, values);
            Assert.True(naive.ContentEquals(bits));
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Branch_free_sifting_equals_the_per_record_definition(double zShare)
    {
        // zShare 1: every record is a Z single click with matching bases, so the Z collector outgrows its
        // first capacity (half the records).
        var rng = new Random((int)(zShare * 10));
        const int pulses = 20_000;
        var table = new byte[pulses];
        var bases = new BitVector(pulses);
        for (int p = 0; p < pulses; p++)
        {
            int basis = rng.NextDouble() < zShare ? 0 : 1;
            table[p] = (byte)((basis << 1) | rng.Next(2));
            bool match = zShare == 1.0 || rng.Next(3) != 0; // two thirds match
            bases[p] = match ? basis == 1 : basis == 0;
        }
        var indices = Enumerable.Range(0, pulses).Where(_ => rng.Next(3) == 0).Select(p => (long)p).ToArray();
        var codes = indices.Select(_ => (byte)(zShare == 1.0 ? 1 + rng.Next(2) : rng.Next(4))).ToArray();

        var expected = new[] { new SiftedExpectation(), new SiftedExpectation() };
        int mismatches = 0;
        for (int r = 0; r < indices.Length; r++)
        {
            if (codes[r] is DetectorCode.None or DetectorCode.Both) continue;
            int p = (int)indices[r], basis = table[p] >> 1;
            if (basis != (bases[p] ? 1 : 0)) { mismatches++; continue; }
            expected[basis].Alice.Add((table[p] & 1) == 1);
            expected[basis].Bob.Add(codes[r] == DetectorCode.Apd1);
            expected[basis].Pulses.Add(p);
        }

        var s = Sifter.Sift(table, bases, indices, codes);
        Assert.Equal(mismatches, s.BasisMismatches);
        if (zShare == 1.0) Assert.Equal(indices.Length, s.Z.Pulses.Length);
        foreach (var (bits, want) in new[] { (s.Z, expected[0]), (s.X, expected[1]) })
        {
            Assert.Equal(want.Pulses, bits.Pulses);
            Assert.True(MaskOf(want.Alice.Count, Enumerable.Range(0, want.Alice.Count).Where(i => want.Alice[i])).ContentEquals(bits.Alice));
            Assert.True(MaskOf(want.Bob.Count, Enumerable.Range(0, want.Bob.Count).Where(i => want.Bob[i])).ContentEquals(bits.Bob));
        }
    }

    private sealed class SiftedExpectation
    {
        public List<bool> Alice { get; } = new();
        public List<bool> Bob { get; } = new();
        public List<long> Pulses { get; } = new();
    }

    [Theory]
    [InlineData(1000, 100, 0)]
    [InlineData(1000, 100, 1000)]
    [InlineData(1000, 999, 640)]
    [InlineData(20_011, 2_000, 10_005)]
    public void Estimation_counts_and_key_equal_the_per_position_definition(int n, int m, int zLength)
    {
        var rng = new Random(n + m + zLength);
        var bob = BitVector.Random(n, rng);
        var alice = bob.Slice(0, n);
        for (int i = 0; i < n; i++) if (rng.NextDouble() < 0.1) alice[i] = !alice[i];
        const ulong seed = 77;

        int[] sample = ReferenceSample(n, m, seed);
        int errorsZ = 0, errorsX = 0, sampleZ = 0;
        foreach (int i in sample)
        {
            bool error = alice[i] != bob[i];
            if (i < zLength) { sampleZ++; if (error) errorsZ++; }
            else if (error) errorsX++;
        }
        int[] keep = SharedSample.Complement(n, sample);

        var e = ParameterEstimation.Estimate(alice, bob, zLength, m, seed);
        Assert.Equal((errorsZ + errorsX, m), (e.Overall.Errors, e.Overall.SampleBits));
        Assert.Equal((errorsZ, sampleZ), (e.Z.Errors, e.Z.SampleBits));
        Assert.Equal((errorsX, m - sampleZ), (e.X.Errors, e.X.SampleBits));
        Assert.Equal(new QberEstimate(errorsZ + errorsX, m, 1e-10).HoeffdingUpper, e.Overall.HoeffdingUpper);
        Assert.True(alice.Permute(keep).ContentEquals(e.AliceKey));
        Assert.True(bob.Permute(keep).ContentEquals(e.BobKey));
    }
}
