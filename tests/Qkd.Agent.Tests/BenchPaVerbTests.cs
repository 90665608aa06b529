using System.Text.Json;

namespace Qkd.Agent.Tests;

public class BenchPaVerbTests
{
    [Fact]
    public void PrintsOneJsonLineWithTheFields()
    {
        var (exit, output, _) = CliTests.Run("bench", "pa", "--bits", "65536", "--repeat", "1", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(65536, doc.RootElement.GetProperty("bits").GetInt32());
        Assert.Equal(32768, doc.RootElement.GetProperty("outBits").GetInt32());
        Assert.True(doc.RootElement.GetProperty("ms").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("mbitPerS").GetDouble() > 0);
        string expected = Qkd.PostProcessing.PrivacyAmplification.ToeplitzAdditiveFft.Vectorized ? "additivefft" : "ntt";
        Assert.Equal(expected, doc.RootElement.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("ntt", "k=2 ")]
    [InlineData("additivefft", "afft 2^12")]
    public void MethodOptionSelectsNttOrAdditiveFft(string method, string planStart)
    {
        var (exit, output, _) = CliTests.Run("bench", "pa", "--bits", "65536", "--repeat", "1", "--json", "--method", method);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(method, doc.RootElement.GetProperty("method").GetString());
        Assert.StartsWith(planStart, doc.RootElement.GetProperty("plan").GetString());
    }

    [Fact]
    public void MethodOptionSelectsKaratsuba()
    {
        var (exit, output, _) = CliTests.Run("bench", "pa", "--bits", "65536", "--repeat", "1", "--json", "--method", "karatsuba");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("karatsuba", doc.RootElement.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("shared")]
    [InlineData("concurrent")]
    public void PairOptionTimesHashPair(string strategy)
    {
        var (exit, output, _) = CliTests.Run("bench", "pa", "--bits", "65536", "--repeat", "1", "--json", "--pair", "--pair-strategy", strategy);
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("pair").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("ms").GetDouble() > 0);
    }

    [Fact]
    public void UnknownPairStrategyIsRefused()
    {
        var (exit, _, error) = CliTests.Run("bench", "pa", "--bits", "65536", "--pair", "--pair-strategy", "sideways");
        Assert.Equal(2, exit); // a parse error is bad input like any other
        Assert.Contains("--pair-strategy", error);
        Assert.Contains("qkd bench pa --help", error);
    }

    [Fact]
    public void AbsurdSizeExitsTwo()
    {
        var (exit, _, error) = CliTests.Run("bench", "pa", "--bits", "0", "--json");
        Assert.Equal(2, exit);
        Assert.Contains("bits", error);
    }
}
