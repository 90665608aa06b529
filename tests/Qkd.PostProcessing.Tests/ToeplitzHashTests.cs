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

public class ToeplitzNttTests
{
    private static (BitVector X, BitVector Seed) RandomCase(int n, int l, int seed)
    {
        var rng = new Random(seed);
        return (BitVector.Random(n, rng), BitVector.Random(ToeplitzHash.SeedBits(n, l), rng));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(63, 1)]
    [InlineData(64, 64)]
    [InlineData(65, 33)]
    [InlineData(777, 300)]
    [InlineData(1000, 1)]
    [InlineData(1500, 1500)]
    [InlineData(2113, 1031)]
    public void NttEqualsDirectProduct(int n, int l)
    {
        var (x, seed) = RandomCase(n, l, 7 * n + l);
        var expected = ToeplitzHash.HashDirect(x, seed, l);
        Assert.True(expected.ContentEquals(new ToeplitzHash(method: ToeplitzMethod.Ntt).Hash(x, seed, l)), "vector NTT differs");
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, vectorized: false, parallel: false)), "scalar NTT differs");
    }

    [Fact]
    public void NttEqualsDirectProductOnRandomSizes()
    {
        var rng = new Random(2026);
        for (int trial = 0; trial < 25; trial++)
        {
            int n = rng.Next(1, 2500), l = rng.Next(1, n + 1);
            var (x, seed) = RandomCase(n, l, trial);
            var expected = ToeplitzHash.HashDirect(x, seed, l);
            Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l)), $"n = {n}, l = {l}");
        }
    }

    [Theory]
    [InlineData(2000, 1000, 2, 1)]
    [InlineData(2000, 1000, 3, 2)]
    [InlineData(1999, 1999, 4, 3)]
    [InlineData(1537, 131, 5, 2)]
    [InlineData(640, 640, 1, 4)]
    public void EveryBlockCutGivesTheDirectProduct(int n, int l, int columnBlocks, int rowBlocks)
    {
        var (x, seed) = RandomCase(n, l, n + columnBlocks * 10 + rowBlocks);
        var plan = ToeplitzNttPlan.Create(n, l, columnBlocks, rowBlocks);
        var expected = ToeplitzHash.HashDirect(x, seed, l);
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan)), plan.ToString());
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, vectorized: false)), "scalar: " + plan);
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Split)), "split transforms: " + plan);
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Tasks)), "transform tasks: " + plan);
    }

    [Fact]
    public void LastOutputBitDependsOnLastSeedBit()
    {
        int n = 3001, l = 1500;
        var x = new BitVector(n) { [0] = true };
        var seed = new BitVector(n + l - 1) { [n + l - 2] = true };
        var y = ToeplitzNtt.Hash(x, seed, l);
        Assert.True(y[l - 1]);
        Assert.Equal(1, y.PopCount());
        // And the last input bit meets only the first seed bit in output 0.
        var last = new BitVector(n) { [n - 1] = true };
        var first = new BitVector(n + l - 1) { [0] = true };
        var y0 = ToeplitzNtt.Hash(last, first, l);
        Assert.True(y0[0]);
        Assert.Equal(1, y0.PopCount());
    }

    [Fact]
    public void LargeNttEqualsKaratsuba()
    {
        // Several rows and column groups of the blocked transform, parallel; Karatsuba is the independent check.
        int n = (1 << 20) + 37, l = 400_009;
        var (x, seed) = RandomCase(n, l, 11);
        var karatsuba = new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, l);
        Assert.True(karatsuba.ContentEquals(new ToeplitzHash(method: ToeplitzMethod.Ntt).Hash(x, seed, l)));
        var plan = ToeplitzNttPlan.Choose(n, l);
        Assert.True(karatsuba.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Split)), "split transforms");
    }

    // The fused schedule (three passes over memory for the whole hash) on cuts with one and several row
    // blocks (streamed pairs vs all rows transformed first), n % 64 != 0, l = 1; Karatsuba is the oracle.
    [Theory]
    [InlineData(40_037, 20_011, 2, 1)]
    [InlineData(40_005, 40_005, 3, 2)]
    [InlineData(65_599, 30_000, 4, 3)]
    [InlineData(70_001, 1, 1, 1)]
    public void FusedScheduleEqualsKaratsuba(int n, int l, int columnBlocks, int rowBlocks)
    {
        var plan = ToeplitzNttPlan.Create(n, l, columnBlocks, rowBlocks);
        Assert.True(ToeplitzNtt.FusedApplies(plan) || !Ntt.Vectorized, "the fused kernels must apply at this size");
        var karatsuba = new ToeplitzHash(method: ToeplitzMethod.Karatsuba);
        // Twice, with other data: buffers kept from the first call must not leak into the second.
        for (int round = 0; round < 2; round++)
        {
            var (x, seed) = RandomCase(n, l, n + round);
            var fused = ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Fused);
            Assert.True(karatsuba.Hash(x, seed, l).ContentEquals(fused), $"round {round}: {plan}");
            Assert.True(karatsuba.Hash(x, seed, l).ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, parallel: false, schedule: ToeplitzNttSchedule.Fused)), "one core");
        }
    }

    // With one row block the row pass streams the pairs window by window into one sum: sums of one product (the
    // first is also the last), three and four (first, middle, last), on one core and on two. Karatsuba is the oracle.
    [Theory]
    [InlineData(70_001, 35_000, 1)]
    [InlineData(60_001, 30_000, 3)]
    [InlineData(65_599, 20_000, 4)]
    public void StreamedRowProductsGiveTheProductForEveryPairCount(int n, int l, int columnBlocks)
    {
        var plan = ToeplitzNttPlan.Create(n, l, columnBlocks, 1);
        Assert.True(ToeplitzNtt.FusedApplies(plan) || !Ntt.Vectorized, "the fused kernels must apply at this size");
        var (x, seed) = RandomCase(n, l, 11 * n + columnBlocks);
        var expected = new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, l);
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Fused)), plan.ToString());
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, parallel: false, schedule: ToeplitzNttSchedule.Fused)), "one core");
    }

    [SkippableFact]
    public void FusedPairNeedsABufferForEverySum()
    {
        Skip.IfNot(Ntt.Vectorized, "the fused kernels need AVX2");
        // k = 1, r = 3: 3 windows; one input has 1 + 3 buffers for 3 sums, two inputs 2 + 3 buffers for 6 sums.
        var plan = ToeplitzNttPlan.Create(40_000, 40_000, 1, 3);
        Assert.Equal(3, plan.WindowOffsets.Length);
        Assert.True(ToeplitzNtt.FusedApplies(plan, inputs: 1));
        Assert.False(ToeplitzNtt.FusedApplies(plan, inputs: 2));
    }

    [SkippableFact]
    public void FusedHashLeavesNoKeyDerivedValuesInThisThreadsScratch()
    {
        Skip.IfNot(Ntt.Vectorized, "the scratch belongs to the AVX2 kernels");
        var plan = ToeplitzNttPlan.Create(40_037, 20_011, 2, 1);
        var (x, seed) = RandomCase(40_037, 20_011, 5);
        // One core: every pass runs on this thread, so its scratch is the one the key's rows went through.
        var hashed = ToeplitzNtt.Hash(x, seed, 20_011, plan, parallel: false, schedule: ToeplitzNttSchedule.Fused);
        Assert.True(new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, 20_011).ContentEquals(hashed));
        var (columns, rows) = NttAvx2.ThreadScratchForTest;
        Assert.NotNull(columns);
        Assert.NotNull(rows);
        Assert.All(new[] { columns!, rows! }, scratch => Assert.DoesNotContain(scratch, value => value != 0));
    }

    // One seed for two inputs (Alice's and Bob's keys): the same bits as two separate hashes, on the fused
    // path (r = 1: windows shared, streamed window by window; l = n: several row blocks), the small NTT
    // path and Karatsuba; Karatsuba is the independent oracle for one fused case.
    [Theory]
    [InlineData(40_037, 20_011)]
    [InlineData(65_599, 65_599)]
    [InlineData(5_001, 2_000)]
    [InlineData(700, 300)]
    public void HashPairEqualsTwoHashes(int n, int l)
    {
        var rng = new Random(n + 3 * l);
        var a = BitVector.Random(n, rng);
        var b = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        var hash = new ToeplitzHash();
        var (first, second) = hash.HashPair(a, b, seed, l);
        Assert.True(hash.Hash(a, seed, l).ContentEquals(first), "first");
        Assert.True(hash.Hash(b, seed, l).ContentEquals(second), "second");
        Assert.False(first.ContentEquals(second));
        if (n == 40_037)
            Assert.True(new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(b, seed, l).ContentEquals(second), "Karatsuba");
    }

    // Every pair strategy (one shared fused pass; two single-core hashes side by side; one after the other) gives the bits of two
    // separate hashes; Karatsuba is the independent oracle. l = n: several row blocks.
    [Theory]
    [InlineData(ToeplitzPairStrategy.Shared, 40_037, 20_011)]
    [InlineData(ToeplitzPairStrategy.Concurrent, 40_037, 20_011)]
    [InlineData(ToeplitzPairStrategy.Concurrent, 65_599, 65_599)]
    [InlineData(ToeplitzPairStrategy.Concurrent, 5_001, 2_000)]
    [InlineData(ToeplitzPairStrategy.Sequential, 40_037, 20_011)]
    public void HashPairStrategiesEqualTwoHashes(ToeplitzPairStrategy strategy, int n, int l)
    {
        var rng = new Random(n + 7 * l);
        var a = BitVector.Random(n, rng);
        var b = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        var (first, second) = new ToeplitzHash(method: ToeplitzMethod.Ntt).HashPair(a, b, seed, l, strategy);
        var oracle = new ToeplitzHash(method: ToeplitzMethod.Karatsuba);
        Assert.True(oracle.Hash(a, seed, l).ContentEquals(first), "first");
        Assert.True(oracle.Hash(b, seed, l).ContentEquals(second), "second");
    }

    [Fact]
    public void HashPairRefusesInputsOfDifferentLengths()
    {
        var rng = new Random(9);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(50_000, 1_000), rng);
        Assert.Throws<ArgumentException>(() => new ToeplitzHash().HashPair(BitVector.Random(50_000, rng), BitVector.Random(49_999, rng), seed, 1_000));
    }

    [Fact]
    public void NttHashPairRefusesAShortSeed()
    {
        var rng = new Random(10);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(50_000, 1_000) - 1, rng);
        var e = Assert.Throws<ArgumentException>(() => ToeplitzNtt.HashPair(BitVector.Random(50_000, rng), BitVector.Random(50_000, rng), seed, 1_000));
        Assert.Contains("seed", e.Message);
    }

    // The fused schedule skips the zero upper half of zero-padded input blocks in the first forward pass and
    // computes only the values the output bits are read from in the last inverse pass: cases where the zero
    // region is not a whole stage (some column groups skip it, some not), where it is exactly half and the
    // first output lies one value below the half (only the last column group needs the lower half), l = 1
    // with several rows, odd n and l. Karatsuba is the oracle.
    [Theory]
    [InlineData(33_000, 1_000, 1, 1)]
    [InlineData(131_072, 65_536, 2, 1)]
    [InlineData(140_001, 1, 2, 1)]
    [InlineData(140_001, 70_001, 2, 1)]
    [InlineData(262_143, 52_429, 4, 1)]
    public void FusedZeroSkippingAndOutputPruningGiveTheProduct(int n, int l, int columnBlocks, int rowBlocks)
    {
        var plan = ToeplitzNttPlan.Create(n, l, columnBlocks, rowBlocks);
        Assert.True(ToeplitzNtt.FusedApplies(plan) || !Ntt.Vectorized, "the fused kernels must apply at this size");
        var (x, seed) = RandomCase(n, l, n ^ l);
        var expected = new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, l);
        Assert.True(expected.ContentEquals(ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Fused)), plan.ToString());
        // The last output bit from the last seed bit and the last input bit alone.
        var lastInput = new BitVector(n) { [n - 1] = true };
        var lastSeed = new BitVector(n + l - 1) { [l - 1] = true };
        var y = ToeplitzNtt.Hash(lastInput, lastSeed, l, plan, schedule: ToeplitzNttSchedule.Fused);
        Assert.True(y[l - 1]);
        Assert.Equal(1, y.PopCount());
    }

    [Fact]
    public void FusedScheduleKeepsTheLastBits()
    {
        int n = 40_001, l = 20_000;
        var plan = ToeplitzNttPlan.Create(n, l, 2, 1);
        var x = new BitVector(n) { [0] = true };
        var seed = new BitVector(n + l - 1) { [n + l - 2] = true };
        var y = ToeplitzNtt.Hash(x, seed, l, plan, schedule: ToeplitzNttSchedule.Fused);
        Assert.True(y[l - 1]);
        Assert.Equal(1, y.PopCount());
        var last = new BitVector(n) { [n - 1] = true };
        var first = new BitVector(n + l - 1) { [0] = true };
        var y0 = ToeplitzNtt.Hash(last, first, l, plan, schedule: ToeplitzNttSchedule.Fused);
        Assert.True(y0[0]);
        Assert.Equal(1, y0.PopCount());
    }

    [Fact]
    public void AutoTakesTheFusedScheduleWhereItApplies()
    {
        int n = (1 << 21) + 37, l = 900_001;
        var plan = ToeplitzNttPlan.Choose(n, l);
        if (Ntt.Vectorized) Assert.Equal(ToeplitzNttSchedule.Fused, ToeplitzNtt.ScheduleFor(plan));
        Assert.Equal(ToeplitzNttSchedule.Split, ToeplitzNtt.ScheduleFor(ToeplitzNttPlan.Choose(1 << 27, 1 << 26))); // 2.3 GB of buffers: least memory
        Assert.Equal(ToeplitzNttSchedule.Tasks, ToeplitzNtt.ScheduleFor(ToeplitzNttPlan.Choose(1 << 16, 1 << 15), vectorized: false));
        var (x, seed) = RandomCase(n, l, 5);
        Assert.True(new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, l).ContentEquals(new ToeplitzHash().Hash(x, seed, l)));
    }

    [Theory]
    [InlineData(1 << 24, 1 << 23)]
    [InlineData(1 << 27, 1 << 26)]
    [InlineData(1 << 27, 1 << 27)]
    public void PlansFitTheTransformLimit(int n, int l)
    {
        var plan = ToeplitzNttPlan.Choose(n, l);
        Assert.True(plan.Length <= 1 << NttField.MaxLog);
        Assert.True(plan.RowBlockBits + plan.ColumnBlockBits - 1 <= plan.Length);
        Assert.True((long)plan.ColumnBlocks * plan.ColumnBlockBits >= n && (long)plan.RowBlocks * plan.RowBlockBits >= l);
    }

    [Fact]
    public void HalfLengthOutputUsesFiveTransformsOfNPoints()
    {
        var plan = ToeplitzNttPlan.Choose(1 << 24, 1 << 23);
        Assert.Equal(1 << 24, plan.Length);
        Assert.Equal(5, plan.Transforms);
    }

    [Fact]
    public void AutoPicksTheAdditiveFftWhereVectorizedElseNttForLargeInputs()
    {
        var hash = new ToeplitzHash();
        foreach (int n in new[] { 1, ToeplitzHash.NttThresholdBits, 1 << 24 })
            Assert.Equal(ToeplitzAdditiveFft.Vectorized ? ToeplitzMethod.AdditiveFft : n >= ToeplitzHash.NttThresholdBits ? ToeplitzMethod.Ntt : ToeplitzMethod.Karatsuba,
                hash.MethodFor(n));
        var portable = new ToeplitzHash(useHardware: false);
        Assert.Equal(ToeplitzMethod.Karatsuba, portable.MethodFor(ToeplitzHash.NttThresholdBits - 1));
        Assert.Equal(ToeplitzMethod.Ntt, portable.MethodFor(ToeplitzHash.NttThresholdBits));
    }
}

[CollectionDefinition("NTT buffer cache", DisableParallelization = true)]
public class NttBufferCacheCollection;

/// <summary>Looks into the process-wide NTT buffer cache, so it runs alone.</summary>
[Collection("NTT buffer cache")]
public class NttBufferWipeTests
{
    [SkippableFact]
    public void Buffers_cached_after_a_fused_hash_hold_no_sums_of_the_key()
    {
        Skip.IfNot(Ntt.Vectorized, "the fused kernels need AVX2");
        // r = 3 > k = 1: the three sums go over the input buffer and two of the three window buffers.
        var plan = ToeplitzNttPlan.Create(40_000, 40_000, 1, 3);
        var random = new Random(11);
        var x = new BitVector(40_000);
        var seed = new BitVector(79_999);
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(2) == 1;
        for (int i = 0; i < seed.Length; i++) seed[i] = random.Next(2) == 1;
        NttBuffers.Trim();
        var hashed = ToeplitzNtt.Hash(x, seed, 40_000, plan, parallel: false, schedule: ToeplitzNttSchedule.Fused);
        Assert.True(new ToeplitzHash(method: ToeplitzMethod.Karatsuba).Hash(x, seed, 40_000).ContentEquals(hashed));
        var (cached, holdingData) = NttBuffers.CachedForTest();
        Assert.Equal(4, cached);
        Assert.True(holdingData <= 1, $"{holdingData} cached buffers hold data; only the last seed window (public) may");
        NttBuffers.Trim();
        Assert.Equal((0, 0), NttBuffers.CachedForTest());
    }
}
