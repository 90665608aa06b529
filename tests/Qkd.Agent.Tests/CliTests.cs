using Qkd.Agent.Cli;

namespace Qkd.Agent.Tests;

public class CliTests
{
    internal static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = QkdCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_the_simulate_verb()
    {
        var (exit, output, _) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("simulate", output);
    }

    [Fact]
    public void Simulate_refuses_an_unknown_preset()
    {
        var (exit, _, error) = Run("simulate", "--preset", "no-such-preset", "--data", Path.Combine(Path.GetTempPath(), "qkd-cli-refused"));
        Assert.Equal(2, exit);
        Assert.Contains("unknown preset", error);
    }

    [Fact]
    public void Unknown_verb_is_refused()
    {
        var (exit, _, _) = Run("no-such-verb");
        Assert.NotEqual(0, exit);
    }
}
