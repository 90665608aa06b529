using System.Security.Cryptography;

namespace Qkd.Agent.Sessions;

/// <summary>Where the session's random tables (Alice's polarisations, Bob's bases) come from.</summary>
public interface IRandomSource : IDisposable
{
    /// <summary>What to print: never the bytes themselves.</summary>
    string Description { get; }

    /// <summary>Fills <paramref name="destination"/>; throws <see cref="RandomSourceException"/> when it cannot.</summary>
    void Fill(Span<byte> destination);
}

public sealed class RandomSourceException(string message) : Exception(message);

/// <summary>The operating system's CSPRNG (<see cref="RandomNumberGenerator"/>).</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public string Description => "OS CSPRNG";
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    public void Dispose() { }
}

/// <summary>
/// Bytes read in order from a file (a hardware RNG dump, `--rng-file`); running out is an error,
/// never a silent wrap-around (reused randomness would repeat the tables).
/// </summary>
public sealed class FileRandomSource : IRandomSource
{
    private readonly FileStream _file;

    public FileRandomSource(string path)
    {
        try
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RandomSourceException($"cannot read the RNG file {path}: {e.Message}");
        }
        Description = $"file {Path.GetFileName(path)}";
    }

    public string Description { get; }

    /// <summary>Bytes consumed so far (a resumed session may skip them).</summary>
    public long Position => _file.Position;

    public void Skip(long bytes) => _file.Seek(bytes, SeekOrigin.Begin);

    public void Fill(Span<byte> destination)
    {
        var at = 0;
        while (at < destination.Length)
        {
            var n = _file.Read(destination[at..]);
            if (n == 0) throw new RandomSourceException($"the RNG file ran out after {_file.Position} bytes; {destination.Length - at} more were needed");
            at += n;
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>
/// A seeded, reproducible generator for simulations (`qkd simulate --seed`): not for real keys.
/// </summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);
    public string Description => "seeded simulation generator";
    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
    public void Dispose() { }
}
