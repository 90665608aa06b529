using System.Text.Json;

namespace Qkd.Agent.Tests;

public class KeyLengthVerbTests
{
    [Fact]
    public void HbnVectorAsOneJsonLine()
    {
        var (exit, output, _) = CliTests.Run("keylength", "--profile", "hbn-2023", "--qber", "0.06", "--n", "1000000",
            "--m", "1000000", "--eps", "1e-10", "--a", "0.985", "--code-rate", "0.5", "--json");
        Assert.Equal(0, exit);
        Assert.Single(output.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(96_290, doc.RootElement.GetProperty("keyBits").GetInt64());
        Assert.Equal(0.005251, doc.RootElement.GetProperty("xi").GetDouble(), 6);
        Assert.Equal(0.04223, doc.RootElement.GetProperty("delta").GetDouble(), 5);
        Assert.True(doc.RootElement.TryGetProperty("rate", out _));
        Assert.True(doc.RootElement.TryGetProperty("qu", out _));
    }

    [Fact]
    public void XiFullDoublesXi()
    {
        var (exit, output, _) = CliTests.Run("keylength", "--profile", "hbn-2023", "--qber", "0.0622", "--n", "1000000",
            "--m", "1000000", "--a", "0.985", "--code-rate", "0.5", "--xi", "full", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(0.010502, doc.RootElement.GetProperty("xi").GetDouble(), 6);
    }

    [Fact]
    public void TomamichelWithLeakReportsMu()
    {
        var (exit, output, _) = CliTests.Run("keylength", "--profile", "tomamichel-2012", "--qber", "0.02", "--n", "1000000",
            "--m", "100000", "--leak", "200000", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("mu").GetDouble() > 0);
        Assert.True(doc.RootElement.GetProperty("keyBits").GetInt64() > 0);
    }

    [Theory]
    [InlineData("--qber", "0.5", "QBER")]
    [InlineData("--n", "0", "n = 0")]
    [InlineData("--eps", "1", "eps")]
    [InlineData("--a", "1.5", "A = 1.5")]
    [InlineData("--profile", "bogus", "Unknown key-length profile")]
    public void AbsurdInputExitsTwoWithMessage(string option, string value, string expected)
    {
        var args = new Dictionary<string, string>
        {
            ["--profile"] = "qd-2024", ["--qber"] = "0.03", ["--n"] = "1000000", ["--m"] = "100000",
        };
        args[option] = value;
        var list = args.SelectMany(kv => new[] { kv.Key, kv.Value }).Prepend("keylength").Append("--json").ToArray();
        var (exit, output, error) = CliTests.Run(list);
        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.Contains(expected, error);
        Assert.Equal("", output);
    }
}
