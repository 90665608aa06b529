using System.Security.Cryptography;
using Qkd.Agent.Cli;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Verbs;

/// <summary>What the keys and otp verbs share: opening an existing store and writing secret files safely.</summary>
internal static class KeysCommon
{
    /// <summary>Exit code when the store refuses: not enough key, or a range missing or already consumed.</summary>
    public const int ExitKeyRefused = 3;

    /// <summary>Opens the store under <paramref name="dataDir"/>; null (with a message) when there is none.</summary>
    public static KeyStore? OpenExisting(string dataDir, TextWriter error, string verb)
    {
        string path = Path.Combine(dataDir, KeyStore.FileName);
        if (!File.Exists(path))
        {
            error.WriteLine($"qkd {verb}: no key store at {path}.");
            return null;
        }
        return KeyStore.Open(dataDir);
    }

    /// <summary>Refuses an output path that exists or whose folder is missing, before any key is consumed.</summary>
    public static string? CheckOutput(string path)
    {
        if (File.Exists(path) || Directory.Exists(path)) return $"{path} already exists; not overwriting it.";
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder)) return $"folder of {path} does not exist.";
        return null;
    }

    /// <summary>
    /// Writes a file readable by the owner only (it may hold key), via a temporary file and a rename, so a
    /// crash never leaves a half-written file under the final name.
    /// </summary>
    public static void WriteSecretFile(string path, Action<Stream> write)
    {
        string temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: false);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Runs a keys/otp verb's body: a store refusal is exit 3, an unreadable store or file exit 2, each
    /// with the verb's name and the reason (never key material).
    /// </summary>
    public static int Run(CliContext context, string verb, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (KeyStoreException ex)
        {
            context.Error.WriteLine($"qkd {verb}: {ex.Message}");
            return ExitKeyRefused;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"qkd {verb}: {ex.Message}");
            return QkdCli.ExitBadInput;
        }
    }

    /// <summary>Key ranges as session/block bits a..b, for messages (positions only, no key).</summary>
    public static string Describe(IReadOnlyList<KeyRange> ranges) =>
        string.Join(", ", ranges.Select(r => $"{r.Session}/{r.Block} bits {r.BitOffset}..{r.BitOffset + r.BitLength}"));

    public static void Zero(byte[] secret) => CryptographicOperations.ZeroMemory(secret);
}
