using Qkd.Agent.Sessions;

namespace Qkd.Agent.Tests.Sessions;

public class HealthTestsTests
{
    [Fact]
    public void Cutoffs_follow_sp800_90b_for_full_entropy_bytes()
    {
        var tests = new HealthTests(8);
        Assert.Equal(6, tests.RepetitionCutoff); // 1 + ceil(40 / 8)
        Assert.InRange(tests.AdaptiveCutoff, 15, 25); // Binomial(511, 1/256) tail below 2^-40
    }

    [Fact]
    public void Random_bytes_pass_and_a_run_at_the_cutoff_fails()
    {
        var tests = new HealthTests();
        var random = new byte[4 << 20];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        tests.Test(random);

        var run = new byte[] { 1, 2, 7, 7, 7, 7, 7 };
        tests.Test(run.AsSpan(0, 6)); // 4 in a row: fine
        Assert.Throws<HealthTestFailureException>(() => tests.Test(run.AsSpan(6, 1).ToArray().Concat(new byte[] { 7 }).ToArray()));
    }

    [Fact]
    public void A_biased_source_fails_the_adaptive_proportion_test()
    {
        var tests = new HealthTests();
        var biased = new byte[512];
        for (var i = 0; i < biased.Length; i++) biased[i] = (byte)(i % 3 == 0 ? 0x55 : i); // 0x55 a third of the time, no long runs

        var failure = Assert.Throws<HealthTestFailureException>(() => tests.Test(biased));
        Assert.Contains("adaptive proportion", failure.Message);
    }
}
