using Qkd.PostProcessing.Ldpc;

namespace Qkd.Agent.Tests;

public class LdpcBuildVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qkd-ldpc-build-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Builds_the_paper_distribution_at_rate_one_half_and_writes_a_readable_alist()
    {
        var path = Path.Combine(_dir, "h.alist");
        var (exit, output, error) = CliTests.Run("ldpc", "build", "--rate", "0.5", "--n", "2000", "--seed", "3", "--out", path);
        Assert.True(exit == 0, error);
        Assert.Contains("2000 columns", output);
        var h = AlistFormat.ReadFile(path);
        Assert.Equal(2000, h.Columns);
        Assert.InRange(h.Rows, 995, 1005);
        var again = Path.Combine(_dir, "h2.alist");
        CliTests.Run("ldpc", "build", "--rate", "0.5", "--n", "2000", "--seed", "3", "--out", again);
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(again));
    }

    [Fact]
    public void Unknown_rate_without_distribution_is_refused()
    {
        var (exit, _, error) = CliTests.Run("ldpc", "build", "--rate", "0.7", "--n", "600", "--out", Path.Combine(_dir, "x.alist"));
        Assert.Equal(2, exit);
        Assert.Contains("--distribution", error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.alist")));
    }

    [Fact]
    public void Distribution_file_sets_the_code_and_must_match_the_rate()
    {
        var dist = Path.Combine(_dir, "r.dist");
        File.WriteAllText(dist, "# regular (3,12), rate 3/4\nlambda 3 1\nrho 12 1\n");
        var path = Path.Combine(_dir, "r.alist");
        var (exit, _, error) = CliTests.Run("ldpc", "build", "--rate", "0.75", "--n", "480", "--distribution", dist, "--out", path);
        Assert.True(exit == 0, error);
        var h = AlistFormat.ReadFile(path);
        Assert.Equal(120, h.Rows);
        Assert.All(Enumerable.Range(0, h.Columns), c => Assert.Equal(3, h.ColumnDegree(c)));
        var (mismatch, _, mismatchError) = CliTests.Run("ldpc", "build", "--rate", "0.5", "--n", "480", "--distribution", dist, "--out", path);
        Assert.Equal(2, mismatch);
        Assert.Contains("design rate", mismatchError);
    }

    [Fact]
    public void Malformed_distribution_file_is_refused_naming_the_line()
    {
        var dist = Path.Combine(_dir, "bad.dist");
        File.WriteAllText(dist, "lambda 3 1\nrho twelve 1\n");
        var (exit, _, error) = CliTests.Run("ldpc", "build", "--rate", "0.75", "--n", "480", "--distribution", dist, "--out", Path.Combine(_dir, "y.alist"));
        Assert.Equal(2, exit);
        Assert.Contains("line 2", error);
    }
}
