using System.CommandLine;
using Qkd.Agent.Cli;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd simulate`: the whole chain on emulated boards. Not built yet (issue 5).</summary>
internal sealed class SimulateVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var command = new Command("simulate", "Run BB84 end to end on emulated boards and yield a secret key (not built yet).");
        command.SetAction(_ =>
        {
            context.Error.WriteLine("qkd simulate is not built yet: the emulated end-to-end chain is issue 5. " +
                                    "Nothing was run. See README.md for what works today.");
            return 3;
        });
        return command;
    }
}
