using System.CommandLine;

namespace Qkd.Agent.Cli;

/// <summary>
/// One `qkd` verb. Implementations are found by reflection, so a new verb is one new file:
/// no shared registration list for parallel work to collide on.
/// </summary>
internal interface IVerb
{
    /// <summary>Parent verb group ("" for a top-level verb, e.g. "bench", "wire", "ldpc").</summary>
    string Group { get; }

    Command Build(CliContext context);
}

/// <summary>Where a verb writes: the console in production, a StringWriter in tests.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error);
