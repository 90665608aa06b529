namespace Qkd.Agent.Boards;

/// <summary>One problem in a board file: the JSON path of the field ("$.pins.muxA0") and why.</summary>
public sealed record BoardFileError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}

/// <summary>A board file that cannot be used; lists every problem found, each with its field.</summary>
public sealed class BoardFileException : Exception
{
    public BoardFileException(string source, IReadOnlyList<BoardFileError> errors)
        : base($"board file {source} refused:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Source = source;
        Errors = errors;
    }

    public new string Source { get; }

    public IReadOnlyList<BoardFileError> Errors { get; }
}
