using System.Security.Cryptography;
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

    public static void Zero(byte[] secret) => CryptographicOperations.ZeroMemory(secret);
}
