using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.PostProcessing.Tests;

public class AdditiveFftTests
{
    private static ulong RandomElement(Random rng) => (ulong)rng.NextInt64(long.MinValue, long.MaxValue);

    private static ulong Power(ulong x, int exponent)
    {
        ulong result = 1;
        for (int i = 0; i < exponent; i++) result = Gf64.Multiply(result, x);
        return result;
    }

    [Fact]
    public void CantorBasisSatisfiesItsRecursionAndIsIndependent()
    {
        Assert.Equal(1UL, CantorBasis.Beta(0));
        var pivots = new ulong[64];
        for (int i = 0; i < CantorBasis.Count; i++)
        {
            if (i > 0) Assert.Equal(CantorBasis.Beta(i - 1), CantorBasis.Square(CantorBasis.Beta(i)) ^ CantorBasis.Beta(i));
            // Gaussian elimination: every beta adds a new pivot (the 64 are a basis of GF(2^64) over GF(2)).
            ulong v = CantorBasis.Beta(i);
            for (int bit = 63; bit >= 0 && v != 0; bit--)
            {
                if (((v >> bit) & 1) == 0) continue;
                if (pivots[bit] == 0) { pivots[bit] = v; v = 0; break; }
                v ^= pivots[bit];
            }
            Assert.True(pivots.Count(p => p != 0) == i + 1, $"beta_{i} depends on the previous ones");
        }
    }

    [Fact]
    public void SubspacePolynomialsVanishBelowAndShiftTheBasisAbove()
    {
        for (int i = 0; i < 8; i++)
            for (int t = 0; t < 20; t++)
                Assert.Equal(t < i ? 0UL : CantorBasis.Beta(t - i), CantorBasis.Subspace(i, CantorBasis.Beta(t)));
        // F2-linear: s_i(a + b) = s_i(a) + s_i(b).
        var rng = new Random(5);
        ulong a = RandomElement(rng), b = RandomElement(rng);
        Assert.Equal(CantorBasis.Subspace(5, a) ^ CantorBasis.Subspace(5, b), CantorBasis.Subspace(5, a ^ b));
    }

    [Fact]
    public void SquarePlusSelfSolverFindsARootOrRefuses()
    {
        var rng = new Random(9);
        for (int k = 0; k < 20; k++)
        {
            ulong y = RandomElement(rng), c = CantorBasis.Square(y) ^ y;
            ulong root = CantorBasis.SolveSquarePlusSelf(c);
            Assert.Equal(c, CantorBasis.Square(root) ^ root);
        }
        // beta_63 has trace 1 (else a beta_64 would exist and 65 elements would be independent).
        Assert.Throws<ArgumentException>(() => CantorBasis.SolveSquarePlusSelf(CantorBasis.Beta(63)));
    }

    private static ulong Point(int u)
    {
        ulong x = 0;
        for (int t = 0; t < 31; t++)
            if (((u >> t) & 1) != 0) x ^= CantorBasis.Beta(t);
        return x;
    }

    private static ulong NovelBasis(int k, ulong y)
    {
        ulong value = 1;
        for (int i = 0; k >> i != 0; i++)
            if (((k >> i) & 1) != 0) value = Gf64.Multiply(value, CantorBasis.Subspace(i, y));
        return value;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void ForwardEvaluatesTheNovelBasisPolynomialAtEveryPointAndInverseUndoesIt(int log)
    {
        var rng = new Random(log);
        var f = new ulong[1 << log];
        for (int i = 0; i < f.Length; i++) f[i] = RandomElement(rng);
        var values = (ulong[])f.Clone();
        AdditiveFft.ForwardScalar(values, useHardware: true);
        for (int u = 0; u < f.Length; u++)
        {
            ulong expected = 0, y = Point(u);
            for (int k = 0; k < f.Length; k++) expected ^= Gf64.Multiply(f[k], NovelBasis(k, y));
            Assert.Equal(expected, values[u]);
        }
        AdditiveFft.InverseScalar(values, useHardware: false);
        Assert.Equal(f, values);
    }

    [Fact]
    public void BasisConversionKeepsThePolynomialAndRoundTrips()
    {
        var rng = new Random(2);
        var monomial = new ulong[64];
        for (int i = 0; i < monomial.Length; i++) monomial[i] = RandomElement(rng);
        var novel = (ulong[])monomial.Clone();
        AdditiveFft.ToNovelScalar(novel);
        for (int trial = 0; trial < 8; trial++)
        {
            ulong y = RandomElement(rng), inMonomials = 0, inNovel = 0;
            for (int k = 0; k < 64; k++)
            {
                inMonomials ^= Gf64.Multiply(monomial[k], Power(y, k));
                inNovel ^= Gf64.Multiply(novel[k], NovelBasis(k, y));
            }
            Assert.Equal(inMonomials, inNovel);
        }
        AdditiveFft.FromNovelScalar(novel);
        Assert.Equal(monomial, novel);
    }

    [SkippableTheory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(5, false)]
    [InlineData(9, true)]
    [InlineData(13, false)]
    [InlineData(17, true)] // expansion at y^16 + y, columns of width 2^16 split across the cores
    public void VectorConversionsEqualTheDivisionByEverySubspacePolynomial(int log, bool parallel)
    {
        Skip.IfNot(ToeplitzAdditiveFft.Vectorized, "vector path only");
        var rng = new Random(log);
        int length = 1 << log, used = Math.Max(1, length - length / 3 - 1), wanted = length / 2 + 1;
        var monomial = new ulong[length];
        for (int i = 0; i < used; i++) monomial[i] = RandomElement(rng);
        var expected = (ulong[])monomial.Clone();
        AdditiveFft.ToNovelScalar(expected);
        var novel = (ulong[])monomial.Clone();
        AdditiveFftAvx.ToNovel(novel, used, parallel);
        Assert.Equal(expected, novel);
        AdditiveFftAvx.FromNovel(novel, 0, parallel);
        Assert.Equal(monomial, novel);
        // Only coefficients from `wanted` on are promised when the rest is skipped.
        AdditiveFftAvx.FromNovel(expected, wanted, parallel);
        Assert.Equal(monomial.AsSpan(wanted).ToArray(), expected.AsSpan(wanted).ToArray());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(31, 31)]
    [InlineData(32, 1)]
    [InlineData(33, 33)]
    [InlineData(64, 64)]
    [InlineData(65, 1)]
    [InlineData(100, 37)]
    [InlineData(777, 300)]
    [InlineData(1000, 1000)]
    [InlineData(2113, 1031)]
    [InlineData(4099, 1)]
    public void EqualsDirectProduct(int n, int l)
    {
        var rng = new Random(n * 131 + l);
        var x = BitVector.Random(n, rng);
        // Longer than n + l - 1: the extra seed bits must not reach the hash.
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l) + 70, rng);
        var expected = ToeplitzHash.HashDirect(x, seed, l);
        Assert.True(expected.ContentEquals(new ToeplitzHash(method: ToeplitzMethod.AdditiveFft).Hash(x, seed, l)), "default path differs");
        Assert.True(expected.ContentEquals(ToeplitzAdditiveFft.Hash(x, seed, l, vectorized: false)), "scalar path differs");
        Assert.True(expected.ContentEquals(ToeplitzAdditiveFft.Hash(x, seed, l, vectorized: false, useHardware: false)), "portable path differs");
    }

    [Fact]
    public void EqualsDirectProductOnRandomSizes()
    {
        var rng = new Random(44);
        var hash = new ToeplitzHash(method: ToeplitzMethod.AdditiveFft);
        for (int trial = 0; trial < 10; trial++)
        {
            int n = rng.Next(1, 3000), l = rng.Next(1, n + 1);
            var x = BitVector.Random(n, rng);
            var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
            Assert.True(ToeplitzHash.HashDirect(x, seed, l).ContentEquals(hash.Hash(x, seed, l)), $"n = {n}, l = {l}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(300_000)]
    public void LastOutputBitIsTheLastSeedBit(int n)
    {
        int l = n;
        var x = new BitVector(n) { [0] = true };
        var seed = new BitVector(n + l - 1) { [n + l - 2] = true };
        var y = new ToeplitzHash(method: ToeplitzMethod.AdditiveFft).Hash(x, seed, l);
        Assert.True(y[l - 1]);
        Assert.Equal(1, y.PopCount());
    }

    [Fact]
    public void PlanTruncatesWhereTheWrappedTermsMissTheHash()
    {
        // 2^24 bits, l = n/2 (README): 2^20 points, not 2^21; wrapped terms land below 327 680, the hash starts at 524 287.
        AdditiveFftPlan plan = ToeplitzAdditiveFft.PlanFor(1 << 24, 1 << 23);
        Assert.Equal(20, plan.Log);
        Assert.Equal(524_287, plan.LowestWantedChunk);
        Assert.True(plan.InputChunks + plan.SeedChunks - 2 >= plan.Points, "no truncation");
        Assert.Equal(24, ToeplitzAdditiveFft.PlanFor(1 << 27, 1 << 26).Log);
    }

    [Theory]
    [InlineData(1 << 16, 1 << 15)]
    [InlineData(1_060_953, 400_001)] // odd chunk counts (33 155 and 45 655): the last chunk inside a later load piece
    [InlineData(1 << 20, 1 << 20)]
    [InlineData(1 << 22, 1 << 21)] // 2^18 points, truncated; conversion levels 16 and 17 as passes
    public void EqualsNttAtLargeSizes(int n, int l)
    {
        var rng = new Random(n ^ l);
        var x = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        var ntt = new ToeplitzHash(method: ToeplitzMethod.Ntt).Hash(x, seed, l);
        Assert.True(ntt.ContentEquals(new ToeplitzHash(method: ToeplitzMethod.AdditiveFft).Hash(x, seed, l)), "default path differs");
        // One core: whole 2^15 sub-blocks and no split spans (other block sizes than with both cores).
        Assert.True(ntt.ContentEquals(ToeplitzAdditiveFft.Hash(x, seed, l, parallel: false)), "single-core path differs");
        if (n <= 1 << 16)
            Assert.True(ntt.ContentEquals(ToeplitzAdditiveFft.Hash(x, seed, l, vectorized: false)), "scalar path differs");
    }

    [Fact]
    public void BadLengthsAreRefusedBeforeAnyBufferIsRead()
    {
        var x = new BitVector(10_000);
        var ex = Assert.Throws<ArgumentException>(() => ToeplitzAdditiveFft.Hash(x, new BitVector(12_000), 5_000));
        Assert.Contains("14999", ex.Message);
        Assert.Throws<ArgumentException>(() => ToeplitzAdditiveFft.Hash(x, new BitVector(20_000), 10_001));
        Assert.Throws<ArgumentException>(() => ToeplitzAdditiveFft.HashPair(x, new BitVector(9_999), new BitVector(20_000), 100));
    }

    [Fact]
    public void PairEqualsTwoHashes()
    {
        var rng = new Random(17);
        int n = 100_003, l = 41_000;
        var a = BitVector.Random(n, rng);
        var b = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        var (first, second) = new ToeplitzHash(method: ToeplitzMethod.AdditiveFft).HashPair(a, b, seed, l);
        var oracle = new ToeplitzHash(method: ToeplitzMethod.Karatsuba);
        Assert.True(oracle.Hash(a, seed, l).ContentEquals(first));
        Assert.True(oracle.Hash(b, seed, l).ContentEquals(second));
    }
}

[Collection("NTT buffer cache")]
public class AdditiveFftBufferWipeTests
{
    [SkippableFact]
    public void Buffers_cached_after_a_pair_hash_hold_nothing()
    {
        Skip.IfNot(ToeplitzAdditiveFft.Vectorized, "the pooled buffers are the vector path's (AVX2 + VPCLMULQDQ)");
        int n = 300_000, l = 150_000;
        var rng = new Random(12);
        var a = BitVector.Random(n, rng);
        var b = BitVector.Random(n, rng);
        var seed = BitVector.Random(ToeplitzHash.SeedBits(n, l), rng);
        NttBuffers.Trim();
        var (first, second) = ToeplitzAdditiveFft.HashPair(a, b, seed, l);
        Assert.True(first.PopCount() > 0 && second.PopCount() > 0);
        var (cached, holdingData) = NttBuffers.CachedForTest();
        Assert.Equal(3, cached); // seed, first, second
        Assert.Equal(0, holdingData);
        NttBuffers.Trim();
    }
}
