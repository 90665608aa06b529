using System.Text.Json;

namespace Qkd.Agent.Tests;

public class BenchPostprocessVerbTests
{
    [Fact]
    public void PaperReconciliationProducesMatchingKeysAndTheJsonFields()
    {
        var (exit, output, error) = CliTests.Run("bench", "postprocess", "--bits", "60000", "--qber", "0.03",
            "--reconciliation", "paper", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (string field in new[] { "totalMs", "reconciliationMbitPerS", "privacyAmplificationMbitPerS", "efficiency", "secretKeyBits" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.True(root.GetProperty("framesOk").GetInt32() > 0);
        Assert.True(root.GetProperty("secretKeyBits").GetInt64() > 0);
        Assert.True(root.GetProperty("keysMatch").GetBoolean());
    }

    [Theory]
    [InlineData("--qber", "0.5")]
    [InlineData("--bits", "10")]
    [InlineData("--reconciliation", "nope")]
    public void AbsurdInputExitsTwo(string option, string value)
    {
        var (exit, _, error) = CliTests.Run("bench", "postprocess", option, value, "--json");
        Assert.Equal(2, exit);
        Assert.StartsWith("qkd bench postprocess:", error);
    }
}
