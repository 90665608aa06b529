using System.CommandLine;
using System.Reflection;

namespace Qkd.Agent.Cli;

/// <summary>Builds the `qkd` command tree from every <see cref="IVerb"/> in this assembly.</summary>
internal static class QkdCli
{
    /// <summary>Exit code for input that could not be read or was refused.</summary>
    public const int ExitBadInput = 2;

    private static readonly Dictionary<string, string> GroupDescriptions = new()
    {
        ["bench"] = "Benchmarks and bench tests (DAC timing, post-processing speed).",
        ["wire"] = "Board<->host protocol tools.",
        ["ldpc"] = "LDPC code construction and inspection.",
        ["keys"] = "The key store: list and export keys.",
        ["otp"] = "One-time-pad files with stored key.",
    };

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("qkd: host agent for lab BB84 quantum key distribution (QkdEmbedded).");
        var groups = new Dictionary<string, Command>();
        var verbs = typeof(QkdCli).Assembly.GetTypes()
            .Where(t => typeof(IVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IVerb)Activator.CreateInstance(t, nonPublic: true)!)
            .OrderBy(v => v.Group, StringComparer.Ordinal)
            .ThenBy(v => v.GetType().Name, StringComparer.Ordinal);
        foreach (var verb in verbs)
        {
            var command = verb.Build(context);
            if (verb.Group.Length == 0)
            {
                root.Subcommands.Add(command);
                continue;
            }
            if (!groups.TryGetValue(verb.Group, out var group))
            {
                group = new Command(verb.Group, GroupDescriptions.GetValueOrDefault(verb.Group, verb.Group));
                groups.Add(verb.Group, group);
                root.Subcommands.Add(group);
            }
            group.Subcommands.Add(command);
        }
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = BuildRoot(context);
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A misspelt option or an unknown value is bad input like any other (exit 2, not the library's 1).
            foreach (var e in parse.Errors) error.WriteLine($"qkd: {e.Message}");
            error.WriteLine($"Run '{string.Join(' ', ["qkd", .. CommandPath(parse.CommandResult.Command)])} --help' for usage.");
            return ExitBadInput;
        }
        return parse.Invoke(invocation);
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault()) names.Insert(0, c.Name);
        return names;
    }
}
