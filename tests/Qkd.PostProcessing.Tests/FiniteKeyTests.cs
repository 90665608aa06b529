using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.Tests;

public class FiniteKeyTests
{
    private static KeyLengthInput Hbn(double q, XiConvention xi = XiConvention.Half) => new()
    {
        Qber = q, KeyBits = 1_000_000, SampleBits = 1_000_000, Epsilon = 1e-10,
        SinglePhotonFraction = 0.985, CodeRate = 0.5, Xi = xi,
    };

    [Fact]
    public void HbnLiteralReadingReproducesReferenceVectorAt6Percent()
    {
        var r = KeyLengthProfiles.Get("hbn-2023").Compute(Hbn(0.06));
        Assert.Equal(0.005251, r.Term("xi"), 6);
        Assert.Equal(0.04223, r.Term("delta"), 5);
        Assert.Equal(0.09629, r.Rate, 5);
        Assert.InRange(r.KeyBits, 96_280, 96_300); // reference: 96,290 (rounded r)
    }

    [Fact]
    public void HbnLiteralReadingReproducesReferenceVectorAt7Percent()
    {
        var r = KeyLengthProfiles.Get("hbn-2023").Compute(Hbn(0.07));
        Assert.InRange(r.KeyBits, 59_240, 59_260); // reference: 59,250
    }

    [Theory]
    [InlineData(0.0622, 68_516)]
    [InlineData(0.0722, 33_176)]
    public void HbnFullXiWithUnroundedQberIsNearThePapersLengths(double q, long paper)
    {
        var r = KeyLengthProfiles.Get("hbn-2023").Compute(Hbn(q, XiConvention.Full));
        Assert.Equal(2 * HbnProfile.FluctuationXi(1e6, 2.5e-11, XiConvention.Half), r.Term("xi"), 12);
        Assert.InRange(r.KeyBits, paper - 200, paper + 200); // we get 68,483 and 33,017
    }

    public static TheoryData<string> Profiles => new() { "hbn-2023", "tomamichel-2012", "qd-2024" };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void MoreQberGivesLessKey(string profile)
    {
        var p = KeyLengthProfiles.Get(profile);
        long previous = long.MaxValue;
        for (double q = 0.0; q < 0.11; q += 0.01)
        {
            var input = new KeyLengthInput { Qber = q, KeyBits = 10_000_000, SampleBits = 1_000_000, Epsilon = 1e-10 };
            long key = p.Compute(input).KeyBits;
            Assert.True(key <= previous, $"{profile}: key grew from {previous} to {key} at Q={q}");
            previous = key;
        }
        Assert.True(p.Compute(new KeyLengthInput { Qber = 0.02, KeyBits = 10_000_000, SampleBits = 1_000_000 }).KeyBits > 0);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void MoreBitsGiveHigherRate(string profile)
    {
        var p = KeyLengthProfiles.Get(profile);
        double previous = double.NegativeInfinity;
        foreach (long n in new long[] { 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000 })
        {
            var input = new KeyLengthInput { Qber = 0.03, KeyBits = n, SampleBits = n / 10, Epsilon = 1e-10, CodeRate = 0.7 };
            double rate = p.Compute(input).Rate;
            Assert.True(rate > previous, $"{profile}: rate fell to {rate} at n={n}");
            previous = rate;
        }
    }

    [Fact]
    public void TomamichelTermsFollowTheFormula()
    {
        var input = new KeyLengthInput { Qber = 0.02, KeyBits = 1_000_000, SampleBits = 100_000, Epsilon = 1e-10, LeakBits = 200_000 };
        var r = new TomamichelProfile().Compute(input);
        double n = 1e6, k = 1e5;
        double mu = Math.Sqrt((n + k) / (n * k) * (k + 1) / k * Math.Log(2 / 1e-10));
        Assert.Equal(mu, r.Term("mu"), 12);
        double expected = n * (1 - Entropy.Binary(0.02 + mu)) - 200_000 - Math.Log2(2 / (1e-20 * 1e-15));
        Assert.Equal((long)Math.Floor(expected), r.KeyBits);
    }

    [Theory]
    [InlineData(0.5, 1000, 1000, 1e-10, 1.0, 0.5)]
    [InlineData(-0.01, 1000, 1000, 1e-10, 1.0, 0.5)]
    [InlineData(0.05, 0, 1000, 1e-10, 1.0, 0.5)]
    [InlineData(0.05, 1000, 0, 1e-10, 1.0, 0.5)]
    [InlineData(0.05, 1000, 1000, 0.0, 1.0, 0.5)]
    [InlineData(0.05, 1000, 1000, 1.0, 1.0, 0.5)]
    [InlineData(0.05, 1000, 1000, 1e-10, 0.0, 0.5)]
    [InlineData(0.05, 1000, 1000, 1e-10, 1.01, 0.5)]
    [InlineData(0.05, 1000, 1000, 1e-10, 1.0, 1.0)]
    [InlineData(0.05, 1000, 1000, 1e-10, 1.0, 0.0)]
    public void AbsurdInputIsRefusedByEveryProfile(double q, long n, long m, double eps, double a, double rate)
    {
        var input = new KeyLengthInput { Qber = q, KeyBits = n, SampleBits = m, Epsilon = eps, SinglePhotonFraction = a, CodeRate = rate };
        foreach (string name in KeyLengthProfiles.Names)
            Assert.Throws<ArgumentException>(() => KeyLengthProfiles.Get(name).Compute(input));
    }

    [Fact]
    public void UnknownProfileNamesTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => KeyLengthProfiles.Get("nope"));
        Assert.Contains("tomamichel-2012", ex.Message);
    }

    [Fact]
    public void QdRateModelVectors()
    {
        Assert.Equal(0.3840, QdRateModels.SinglePhoton(1, 0.4, 0.1), 4);
        Assert.Equal(7.163e-5, QdRateModels.SinglePhoton(1e-3, 0.292, 0.00698), 8);
        Assert.Equal(0.014813, QdRateModels.Transmission(14.6, 0.6, 0.712), 6);
        Assert.Equal(1 / Math.E, QdRateModels.WeakCoherent(1), 12);
        Assert.True(QdRateModels.SinglePhotonCanBeatCoherentAtZeroLoss(0.4, 0.1));
        Assert.False(QdRateModels.SinglePhotonCanBeatCoherentAtZeroLoss(0.3, 0.1));
        Assert.False(QdRateModels.SinglePhotonCanBeatCoherentAtZeroLoss(0.9, 0.7));
    }

    [Fact]
    public void QdChernoffBoundExceedsMean()
    {
        double beta = Math.Log(1e10);
        Assert.Equal(100 + (beta + Math.Sqrt(beta * beta + 800 * beta)) / 2, QuantumDotProfile.ChernoffUpper(100, 1e-10), 9);
    }
}
