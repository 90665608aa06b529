using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.PostProcessing.Tests;

public class NttTests
{
    // The parallel passes hand out chunks from a shared counter: every index exactly once, for counts below,
    // at and above the chunk count, on one core and on several.
    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(17, true)]
    [InlineData(9_216, true)]
    [InlineData(17, false)]
    public void ForEachRunsEveryIndexOnce(int count, bool parallel)
    {
        var runs = new int[count];
        NttAvx2.ForEach(count, parallel, i => Interlocked.Increment(ref runs[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    private static uint[] RandomValues(int length, uint bound, int seed)
    {
        var rng = new Random(seed);
        var values = new uint[length];
        for (int i = 0; i < length; i++) values[i] = (uint)rng.NextInt64(bound);
        return values;
    }

    [Fact]
    public void FieldConstantsAreConsistent()
    {
        Assert.Equal(1u, unchecked(NttField.P * (0u - NttField.NegativeInverse)));
        uint root = NttField.RootOfUnity(NttField.MaxLog);
        Assert.Equal(1u, NttField.Pow(root, 1UL << NttField.MaxLog));
        Assert.Equal(NttField.P - 1, NttField.Pow(root, 1UL << (NttField.MaxLog - 1)));
        Assert.True(NttField.P > 1u << 27, "sums of 2^27 bit products must stay exact");
        Assert.True(4UL * NttField.P < 1UL << 32, "lazy butterflies keep values below 4p in 32 bits");
    }

    [Theory]
    [InlineData(16, false)]
    [InlineData(64, false)]
    [InlineData(1 << 12, false)]
    [InlineData(1 << 16, true)]   // several rows and column groups
    [InlineData(1 << 17, true)]
    public void InverseOfForwardIsIdentity(int length, bool parallel)
    {
        uint[] x = RandomValues(length, NttField.P, length);
        uint[] data = (uint[])x.Clone();
        Ntt.Forward(data, length, parallel: parallel);
        Ntt.ReduceAll(data);
        Ntt.Inverse(data, length, parallel: parallel);
        uint inverseN = NttField.ToMontgomery(NttField.Inverse((uint)length));
        for (int i = 0; i < length; i++) data[i] = NttField.Reduce(NttField.MontMul(data[i], inverseN));
        Assert.Equal(x, data);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(1 << 15)]
    [InlineData(1 << 16)]
    public void VectorKernelsMatchScalarLoops(int length)
    {
        uint[] x = RandomValues(length, 4 * NttField.P, length + 1);
        uint[] vector = (uint[])x.Clone(), scalar = (uint[])x.Clone();
        Ntt.Forward(vector, length, vectorized: true);
        Ntt.Forward(scalar, length, vectorized: false);
        AssertSameResidues(scalar, vector, 4 * NttField.P);
        for (int i = 0; i < length; i++) vector[i] = scalar[i] = x[i] % (2 * NttField.P);
        Ntt.Inverse(vector, length, vectorized: true);
        Ntt.Inverse(scalar, length, vectorized: false);
        AssertSameResidues(scalar, vector, 2 * NttField.P);
    }

    // The column passes take groups of 64 columns up to 2^24 points and narrower ones above (the scratch of
    // a group stays in L2): every width, on a size with several rows, gives the scalar loops' residues.
    [SkippableTheory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void EveryColumnGroupWidthMatchesScalarLoops(int width)
    {
        Skip.IfNot(Ntt.Vectorized, "the AVX2 kernels need AVX2");
        const int log = 17, length = 1 << log;
        Assert.Equal(64, NttAvx2.ColumnWidth(NttAvx2.Rows(24)));
        Assert.Equal(16, NttAvx2.ColumnWidth(NttAvx2.Rows(26)));
        uint[] x = RandomValues(length, 4 * NttField.P, width);
        uint[] vector = (uint[])x.Clone(), scalar = x;
        NttAvx2.Forward(vector, log, NttTwiddles.Forward(length / 2), parallel: true, width: width);
        Ntt.Forward(scalar, length, vectorized: false);
        AssertSameResidues(scalar, vector, 4 * NttField.P);
        for (int i = 0; i < length; i++) vector[i] = scalar[i] %= 2 * NttField.P;
        NttAvx2.Inverse(vector, log, NttTwiddles.Inverse(length / 2), parallel: true, width: width);
        Ntt.Inverse(scalar, length, vectorized: false);
        AssertSameResidues(scalar, vector, 2 * NttField.P);
    }

    // Lazy reduction leaves each value as one of several representatives (the vector kernels skip the
    // product where the twiddle is 1): what must agree is the residue mod p, and the documented range.
    private static void AssertSameResidues(uint[] expected, uint[] actual, uint bound)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(actual[i] < bound, $"value {i} = {actual[i]} is not below {bound}");
            Assert.True(expected[i] % NttField.P == actual[i] % NttField.P, $"value {i}: {actual[i]} != {expected[i]} mod p");
        }
    }

    // Bit input is expanded into the column scratch 64 bits per row (64-column groups) or 16 at a time (narrower
    // groups, above 2^24 points), and with a zero upper half only the lower half is read (at least four rows).
    // Every route gives the scalar loops' residues: two rows, zero upper half, bits ending inside the last quarter.
    [SkippableTheory]
    [InlineData(1 << 15, 64, 20_000)]      // two rows: expanded first
    [InlineData(1 << 16, 64, 1 << 15)]     // four rows, upper half zero
    [InlineData(1 << 16, 64, 60_001)]      // bits end inside the last quarter of rows
    [InlineData(1 << 16, 32, 1 << 15)]
    [InlineData(1 << 16, 16, 60_001)]
    [InlineData(1 << 17, 64, 100_003)]
    public void BitInputEveryColumnRouteMatchesScalarLoops(int length, int width, int count)
    {
        Skip.IfNot(Ntt.Vectorized, "the AVX2 kernels need AVX2");
        var bits = Qkd.PostProcessing.Bits.BitVector.Random(count + 100, new Random(length + width + count));
        int log = System.Numerics.BitOperations.Log2((uint)length);
        uint[] vector = new uint[length], scalar = new uint[length];
        Array.Fill(vector, 12345u);
        NttAvx2.Forward(vector, log, NttTwiddles.Forward(length / 2), parallel: true, new BitSource(bits.Words, bits.Length, 37, count), width);
        Ntt.ForwardFromBits(scalar, length, bits.Words, bits.Length, 37, count, vectorized: false, parallel: false);
        AssertSameResidues(scalar, vector, 4 * NttField.P);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(32, false)]
    [InlineData(128, true)]
    [InlineData(512, false)]
    public void PointwiseProductIsCyclicConvolution(int length, bool vectorized)
    {
        uint[] a = RandomValues(length, NttField.P, 3 * length), b = RandomValues(length, NttField.P, 5 * length);
        var expected = new ulong[length];
        for (int i = 0; i < length; i++)
            for (int j = 0; j < length; j++)
                expected[(i + j) % length] = (expected[(i + j) % length] + (ulong)a[i] * b[j]) % NttField.P;

        uint[] fa = (uint[])a.Clone(), fb = (uint[])b.Clone();
        Ntt.Forward(fa, length, vectorized);
        Ntt.Forward(fb, length, vectorized);
        Ntt.ReduceAll(fa);
        // MontMul leaves a factor R^-1; the inverse leaves N: fix both at the end.
        for (int i = 0; i < length; i++) fa[i] = NttField.Reduce(NttField.MontMul(fa[i], fb[i]));
        Ntt.Inverse(fa, length, vectorized);
        uint fix = NttField.ToMontgomery(NttField.ToMontgomery(NttField.Inverse((uint)length)));
        for (int i = 0; i < length; i++)
            Assert.Equal((uint)expected[i], NttField.Reduce(NttField.MontMul(fa[i], fix)));
    }

    [Theory]
    [InlineData(1 << 16, 0, 1 << 15, 1 << 16)]          // half-full block, as an input block
    [InlineData(1 << 16, -77, 60_000, 50_000)]         // window before the seed start and past its end
    [InlineData(1 << 17, 1_001, (1 << 17) - 1, 200_000)]
    [InlineData(1 << 12, 5, 3_000, 4_000)]             // one row: unpacked first
    [InlineData(1 << 17, 0, (1 << 16) + 100, 1 << 17)] // zero upper half in some column groups only (not a whole stage)
    [InlineData(1 << 17, 3, 1 << 15, 1 << 17)]         // upper three quarters zero
    public void ForwardFromBitsMatchesScalarUnpackAndTransform(int length, long start, int count, int bitLength)
    {
        var bits = Qkd.PostProcessing.Bits.BitVector.Random(bitLength, new Random(length + count));
        uint[] fused = new uint[length], reference = new uint[length];
        Array.Fill(fused, 12345u); // garbage from the pool must not leak into the result
        Ntt.ForwardFromBits(fused, length, bits.Words, bitLength, start, count, vectorized: true, parallel: true);
        Ntt.ForwardFromBits(reference, length, bits.Words, bitLength, start, count, vectorized: false, parallel: false);
        AssertSameResidues(reference, fused, 4 * NttField.P);
    }

    [Fact]
    public void TwiddleTablesHoldPowersAndShoupQuotients()
    {
        NttTwiddles.Prepare(18); // grows the tables past their initial size: the new part extends the old one
        foreach (bool inverse in new[] { false, true })
        {
            uint[] table = inverse ? NttTwiddles.Inverse(1 << 17) : NttTwiddles.Forward(1 << 17);
            int quotients = NttTwiddles.QuotientOffset(table);
            Assert.True(quotients >= 1 << 17);
            Assert.Equal(1u, table[0]);
            var rng = new Random(inverse ? 2 : 1);
            for (int trial = 0; trial < 200; trial++)
            {
                int s = rng.Next(0, 17), j = rng.Next(0, 1 << s);
                uint root = NttField.RootOfUnity(s + 2);
                if (inverse) root = NttField.Inverse(root);
                Assert.Equal((ulong)table[j] * root % NttField.P, table[(1 << s) + j]);
            }
            for (int k = 0; k < 1 << 17; k += 997)
            {
                Assert.Equal(NttField.ShoupQuotient(table[k]), table[quotients + k]);
                uint a = (uint)rng.NextInt64(uint.MaxValue);
                Assert.Equal((ulong)a * table[k] % NttField.P, NttField.ShoupMul(a, table[k], table[quotients + k]) % NttField.P);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(48)]
    [InlineData(1 << 27)]
    public void BadLengthsAreRefused(int length)
    {
        Assert.Throws<ArgumentException>(() => Ntt.Forward(new uint[Math.Max(length, 64)], length));
    }
}
