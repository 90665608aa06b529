using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.Agent.Tests;

public class ReconcileVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qkd-reconcile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes Bob's uniform bits and Alice's copy with each bit flipped with probability qber.</summary>
    private (string Alice, string Bob, BitVector BobBits) Strings(int bits, double qber, int seed)
    {
        var rng = new Random(seed);
        var bob = BitVector.Random(bits, rng);
        var alice = new BitVector((ulong[])bob.Words.Clone(), bits);
        for (var i = 0; i < bits; i++)
        {
            if (rng.NextDouble() < qber) alice[i] = !alice[i];
        }
        var a = Path.Combine(_dir, "a.bin");
        var b = Path.Combine(_dir, "b.bin");
        alice.WriteFile(a);
        bob.WriteFile(b);
        return (a, b, bob);
    }

    /// <summary>A small fixed code so the verb runs in well under a second.</summary>
    private string SmallCode()
    {
        var path = Path.Combine(_dir, "small.alist");
        AlistFormat.WriteFile(path, PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(2000), 1));
        return path;
    }

    [Fact]
    public void Fixed_code_reconciles_and_writes_bobs_frames_with_a_json_line()
    {
        var code = SmallCode();
        var (a, b, bob) = Strings(3 * 2000 + 77, 0.02, 1);
        var output = Path.Combine(_dir, "out.bin");
        var (exit, stdout, error) = CliTests.Run("reconcile", "--code", code, "--alice", a, "--bob", b, "--bits", "6077",
            "--qber", "0.02", "--out", output, "--json");
        Assert.True(exit == 0, error);
        Assert.Contains("\"framesOk\":3", stdout);
        Assert.Contains("\"framesFailed\":0", stdout);
        Assert.Contains($"\"leakBits\":{3 * AlistFormat.ReadFile(code).Rows}", stdout);
        Assert.Contains("\"efficiency\":", stdout);
        Assert.Contains("\"meanIterations\":", stdout);
        Assert.Contains("\"unusedBits\":77", stdout);
        var written = BitVector.ReadFile(output, 6000);
        Assert.True(written.ContentEquals(bob.Slice(0, 6000)));
        Assert.Equal(750, new FileInfo(output).Length);
    }

    [Fact]
    public void Adaptive_code_uses_the_shipped_family()
    {
        var (a, b, bob) = Strings(2 * 9000, 0.03, 2);
        var output = Path.Combine(_dir, "out.bin");
        var (exit, stdout, error) = CliTests.Run("reconcile", "--code", "adaptive", "--alice", a, "--bob", b, "--bits", "18000",
            "--qber", "0.03", "--out", output, "--json");
        Assert.True(exit == 0, error);
        Assert.Contains("\"frameBits\":9000", stdout);
        var okFrames = stdout.Contains("\"framesOk\":2") ? 2 : stdout.Contains("\"framesOk\":1") ? 1 : 0;
        Assert.True(okFrames >= 1, stdout);
        if (okFrames == 2) Assert.True(BitVector.ReadFile(output, 18000).ContentEquals(bob));
    }

    [Theory]
    [InlineData("qber", "0.5", "--qber must be in (0, 0.5)")]
    [InlineData("qber", "0", "--qber must be in (0, 0.5)")]
    [InlineData("alice", "missing.bin", "does not exist")]
    [InlineData("bits", "999999", "bytes")]
    [InlineData("bits", "100", "less than one frame")]
    public void Bad_input_exits_with_2_and_a_clear_message(string which, string value, string message)
    {
        var code = SmallCode();
        var (a, b, _) = Strings(4000, 0.02, 3);
        var args = new Dictionary<string, string>
        {
            ["code"] = code, ["alice"] = a, ["bob"] = b, ["bits"] = "4000", ["qber"] = "0.02", ["out"] = Path.Combine(_dir, "o.bin"),
        };
        args[which] = which == "alice" ? Path.Combine(_dir, value) : value;
        var (exit, _, error) = CliTests.Run(args.SelectMany(p => new[] { "--" + p.Key, p.Value }).Prepend("reconcile").ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.False(File.Exists(Path.Combine(_dir, "o.bin")));
    }

    [Fact]
    public void Malformed_alist_exits_with_2_naming_the_line()
    {
        var (a, b, _) = Strings(4000, 0.02, 4);
        var code = Path.Combine(_dir, "bad.alist");
        File.WriteAllText(code, "4 2\n2 3\n1 2 1 2\n");
        var (exit, _, error) = CliTests.Run("reconcile", "--code", code, "--alice", a, "--bob", b, "--bits", "4000",
            "--qber", "0.02", "--out", Path.Combine(_dir, "o.bin"));
        Assert.Equal(2, exit);
        Assert.Contains("line 4", error);
    }
}
