namespace Qkd.Firmware.Tests.Portability;

/// <summary>Finds the repository root (the folder holding QkdEmbedded.sln) from the test output folder.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "QkdEmbedded.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("QkdEmbedded.sln not found above " + AppContext.BaseDirectory);
    }
}
