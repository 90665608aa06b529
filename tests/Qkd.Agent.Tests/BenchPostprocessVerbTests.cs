using System.Text.Json;

namespace Qkd.Agent.Tests;

public class BenchPostprocessVerbTests
{
    [Fact]
    public void PaperReconciliationProducesMatchingKeysAndTheJsonFields()
    {
        var (exit, output, error) = CliTests.Run("bench", "postprocess", "--bits", "60000", "--qber", "0.03",
            "--reconciliation", "paper", "--warmup", "0", "--json");
        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (string field in new[] { "totalMs", "reconciliationMbitPerS", "privacyAmplificationMbitPerS", "efficiency", "secretKeyBits" })
            Assert.True(root.TryGetProperty(field, out _), field);
        // Per-stage CPU: all threads of the process, so the whole block took at least the stages' CPU.
        double stages = root.GetProperty("estimationCpuMs").GetDouble() + root.GetProperty("reconciliationCpuMs").GetDouble()
            + root.GetProperty("privacyAmplificationCpuMs").GetDouble();
        Assert.True(root.GetProperty("reconciliationCpuMs").GetDouble() > 0);
        Assert.InRange(root.GetProperty("totalCpuMs").GetDouble(), stages - 0.01, double.MaxValue);
        Assert.Equal(0, root.GetProperty("warmupRuns").GetInt32());
        Assert.True(root.GetProperty("framesOk").GetInt32() > 0);
        Assert.True(root.GetProperty("secretKeyBits").GetInt64() > 0);
        Assert.True(root.GetProperty("keysMatch").GetBoolean());
    }

    [Theory]
    [InlineData("--qber", "0.5")]
    [InlineData("--bits", "10")]
    [InlineData("--reconciliation", "nope")]
    [InlineData("--warmup", "-1")]
    public void AbsurdInputExitsTwo(string option, string value)
    {
        var (exit, _, error) = CliTests.Run("bench", "postprocess", option, value, "--json");
        Assert.Equal(2, exit);
        Assert.StartsWith("qkd bench postprocess:", error);
    }
}
