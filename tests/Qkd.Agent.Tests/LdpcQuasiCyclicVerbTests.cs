using System.Globalization;
using System.Text.Json;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.Agent.Tests;

/// <summary>`qkd ldpc build --qc Z` and `qkd ldpc fer` on tiny codes.</summary>
public class LdpcQuasiCyclicVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qkd-ldpc-qc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RegularDistribution()
    {
        var path = Path.Combine(_dir, "r36.dist");
        File.WriteAllText(path, "lambda 3 1\nrho 6 1\n");
        return path;
    }

    private string BuildTinyCode(string name = "tiny.qc", string seed = "4")
    {
        var path = Path.Combine(_dir, name);
        var (exit, _, error) = CliTests.Run("ldpc", "build", "--qc", "16", "--rate", "0.5", "--n", "1600", "--seed", seed,
            "--distribution", RegularDistribution(), "--out", path);
        Assert.True(exit == 0, error);
        return path;
    }

    [Fact]
    public void Build_with_qc_writes_a_deterministic_four_cycle_free_qc_file()
    {
        var path = BuildTinyCode();
        var code = QuasiCyclicCode.ReadFile(path);
        Assert.Equal(16, code.LiftingSize);
        Assert.Equal(100, code.BaseColumns);
        Assert.Equal(50, code.BaseRows);
        Assert.Equal(300, code.Circulants);
        var h = code.ToMatrix();
        Assert.False(h.HasFourCycle());
        Assert.All(Enumerable.Range(0, h.Columns), c => Assert.Equal(3, h.ColumnDegree(c)));
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(BuildTinyCode("again.qc")));
        Assert.NotEqual(File.ReadAllText(path), File.ReadAllText(BuildTinyCode("other.qc", "5")));
    }

    [Fact]
    public void Build_with_qc_refuses_a_length_that_is_not_a_multiple_of_z()
    {
        var path = Path.Combine(_dir, "bad.qc");
        var (exit, _, error) = CliTests.Run("ldpc", "build", "--qc", "32", "--rate", "0.5", "--n", "1000", "--out", path);
        Assert.Equal(2, exit);
        Assert.Contains("multiple", error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Fer_decodes_every_frame_below_the_threshold_and_none_above_capacity()
    {
        var path = BuildTinyCode();
        var (exit, output, error) = CliTests.Run("ldpc", "fer", "--code", path, "--qber", "0.01,0.2", "--frames", "40",
            "--decoder", "min-sum", "--json");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal(40, lines[0].GetProperty("frames").GetInt32());
        Assert.Equal(0, lines[0].GetProperty("framesFailed").GetInt32());
        // h(0.2) = 0.72 bits per bit exceed the 0.5 the syndrome carries: no frame can be recovered.
        Assert.Equal(40, lines[1].GetProperty("framesFailed").GetInt32());
        Assert.Equal(1.0, lines[1].GetProperty("fer").GetDouble());
        Assert.Equal(800.0 / (1600 * Entropy.Binary(0.01)), lines[0].GetProperty("efficiency").GetDouble(), 3);
    }

    [SkippableFact]
    public void Fer_with_the_8_bit_decoder_and_puncturing_counts_the_leak_as_the_reconciler_does()
    {
        Skip.IfNot(QuantizedMinSumBatchDecoder.IsSupported, "needs AVX2");
        var path = BuildTinyCode();
        var (exit, output, error) = CliTests.Run("ldpc", "fer", "--code", path, "--qber", "0.02", "--frames", "64",
            "--punctured", "40", "--shortened", "100", "--json");
        Assert.True(exit == 0, error);
        var line = JsonDocument.Parse(output).RootElement;
        Assert.Equal("int8", line.GetProperty("decoder").GetString());
        Assert.Equal(0, line.GetProperty("framesFailed").GetInt32());
        Assert.Equal((800.0 - 40) / ((1600 - 40 - 100) * Entropy.Binary(0.02)), line.GetProperty("efficiency").GetDouble(), 3);
        // The same seed decodes the same frames: the run is reproducible, whatever the thread timing.
        var again = JsonDocument.Parse(CliTests.Run("ldpc", "fer", "--code", path, "--qber", "0.02", "--frames", "64",
            "--punctured", "40", "--shortened", "100", "--json").Out).RootElement;
        Assert.Equal(line.GetProperty("meanIterations").GetDouble(), again.GetProperty("meanIterations").GetDouble());
    }

    [Theory]
    [InlineData("offset")]
    [InlineData("self-corrected")]
    public void Fer_with_the_quasi_cyclic_decoder_decodes_below_the_threshold_with_either_check_rule(string rule)
    {
        var path = BuildTinyCode();
        var (exit, output, error) = CliTests.Run("ldpc", "fer", "--code", path, "--qber", "0.01,0.2", "--frames", "40",
            "--decoder", "qc-int8", "--offset", "0.5", "--check-update", rule, "--json");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(rule, lines[0].GetProperty("checkUpdate").GetString());
        Assert.Equal(0, lines[0].GetProperty("framesFailed").GetInt32());
        Assert.Equal(40, lines[1].GetProperty("framesFailed").GetInt32());
    }

    [Fact]
    public void Fer_with_the_quasi_cyclic_sum_product_decodes_below_the_threshold_and_fails_far_above()
    {
        var path = Path.Combine(_dir, "tiny32.qc");
        var (built, _, buildError) = CliTests.Run("ldpc", "build", "--qc", "32", "--rate", "0.5", "--n", "3200", "--seed", "4",
            "--distribution", RegularDistribution(), "--out", path);
        Assert.True(built == 0, buildError);
        var (exit, output, error) = CliTests.Run("ldpc", "fer", "--code", path, "--qber", "0.01,0.2", "--frames", "8",
            "--decoder", "qc-sum-product", "--iterations", "30", "--json");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal("qc-sum-product", lines[0].GetProperty("decoder").GetString());
        Assert.Equal(0, lines[0].GetProperty("framesFailed").GetInt32());
        Assert.Equal(8, lines[1].GetProperty("framesFailed").GetInt32());
    }

    [Fact]
    public void Fer_refuses_the_quasi_cyclic_sum_product_on_a_lifting_size_other_than_32()
    {
        var (exit, _, error) = CliTests.Run("ldpc", "fer", "--code", BuildTinyCode(), "--qber", "0.02", "--decoder", "qc-sum-product");
        Assert.Equal(2, exit);
        Assert.Contains("Z = 32", error);
    }

    [Fact]
    public void Fer_refuses_the_quasi_cyclic_decoder_on_an_alist_code()
    {
        var alist = Path.Combine(_dir, "tiny.alist");
        AlistFormat.WriteFile(alist, QuasiCyclicCode.ReadFile(BuildTinyCode()).ToMatrix());
        var (exit, _, error) = CliTests.Run("ldpc", "fer", "--code", alist, "--qber", "0.02", "--decoder", "qc-int8");
        Assert.Equal(2, exit);
        Assert.Contains(".qc", error);
    }

    [Theory]
    [InlineData("--qber", "0.6", "--qber")]
    [InlineData("--frames", "0", "--frames")]
    [InlineData("--punctured", "900", "punctured")]
    [InlineData("--decoder", "magic", "--decoder")]
    [InlineData("--check-update", "magic", "--check-update")]
    public void Fer_refuses_bad_parameters(string option, string value, string expected)
    {
        var path = BuildTinyCode();
        var args = new List<string> { "ldpc", "fer", "--code", path, "--qber", "0.02", "--frames", "32" };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);
        var (exit, _, error) = CliTests.Run([.. args]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Fer_refuses_a_missing_or_corrupt_code_file()
    {
        var (missing, _, missingError) = CliTests.Run("ldpc", "fer", "--code", Path.Combine(_dir, "none.qc"), "--qber", "0.02");
        Assert.Equal(2, missing);
        Assert.Contains("does not exist", missingError);
        var corrupt = Path.Combine(_dir, "corrupt.qc");
        File.WriteAllText(corrupt, "qc-ldpc\n16 2 4\n0:3 1:99\n");
        var (exit, _, error) = CliTests.Run("ldpc", "fer", "--code", corrupt, "--qber", "0.02");
        Assert.Equal(2, exit);
        Assert.Contains("corrupt.qc", error);
    }
}
