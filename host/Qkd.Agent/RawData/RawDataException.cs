namespace Qkd.Agent.RawData;

/// <summary>A raw-data file that cannot be read: names the file and the byte offset of the problem.</summary>
public sealed class RawDataException : IOException
{
    public RawDataException(string path, long offset, string problem)
        : base($"raw data file '{path}', offset {offset}: {problem}")
    {
        Path = path;
        Offset = offset;
    }

    public string Path { get; }

    public long Offset { get; }
}
