using Xunit.Abstractions;

namespace Qkd.Firmware.Tests.Portability;

/// <summary>
/// Issue 3 item 4: the firmware and portable wire sources compile against the declared nanoFramework
/// surface, and the guard rejects the full-.NET-only constructs nanoFramework 1.x cannot run.
/// </summary>
public class PortabilityGuardTests(ITestOutputHelper output)
{
    private static readonly string[] PortableFolders =
    [
        Path.Combine("shared", "Qkd.Wire"),
        Path.Combine("firmware", "Qkd.Firmware.Core"),
    ];

    private static string AppFolder => Path.Combine(RepoRoot.Path, "firmware", "Qkd.Firmware");

    /// <summary>Portable sources (wire + firmware core) and the nanoFramework app's sources, board files excluded.</summary>
    internal static List<(string Path, string Text)> PortableSources()
    {
        var files = PortableFolders
            .Select(folder => Path.Combine(RepoRoot.Path, folder))
            .Append(AppFolder)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(RepoRoot.Path, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "Boards"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        return files.Select(Read).ToList();
    }

    /// <summary>The app's board files (one per nanoff target); the .nfproj compiles exactly one of them.</summary>
    public static TheoryData<string> BoardFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppFolder, "Boards"), "*.cs").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private static (string Path, string Text) Read(string file) => (Path.GetRelativePath(RepoRoot.Path, file), File.ReadAllText(file));

    [Theory]
    [MemberData(nameof(BoardFiles))]
    public void Firmware_and_portable_wire_sources_compile_against_the_nanoFramework_surface(string boardFile)
    {
        var sources = PortableSources();
        Assert.Contains(sources, s => s.Path.EndsWith("Program.cs", StringComparison.Ordinal));
        sources.Add(Read(Path.Combine(AppFolder, "Boards", boardFile)));

        var errors = NanoSurfaceCompiler.Compile(sources);

        output.WriteLine($"{sources.Count} source files checked with board file {boardFile}.");
        Assert.True(errors.Count == 0, "Portable code uses API nanoFramework 1.x lacks:" + Environment.NewLine + NanoSurfaceCompiler.Describe(errors));
    }

    [Theory]
    [InlineData("generic List", "using System.Collections.Generic; class C { List<int> items = new List<int>(); }")]
    [InlineData("LINQ", "using System.Linq; class C { int M(int[] x) => x.Where(v => v > 0).Count(); }")]
    [InlineData("Span", "using System; class C { void M() { Span<byte> b = new byte[4]; } }")]
    [InlineData("stackalloc", "class C { void M() { var b = stackalloc byte[4]; } }")]
    [InlineData("async Task", "using System.Threading.Tasks; class C { async Task M() { await Task.Delay(1); } }")]
    [InlineData("nullable struct", "class C { int? x; }")]
    [InlineData("tuple", "class C { (int, int) M() => (1, 2); }")]
    [InlineData("record", "record R(int A);")]
    [InlineData("Stopwatch", "class C { long M() => System.Diagnostics.Stopwatch.GetTimestamp(); }")]
    public void Guard_rejects_full_dotnet_only_code(string construct, string snippet)
    {
        var errors = NanoSurfaceCompiler.Compile([($"snippet-{construct}.cs", snippet)]);

        output.WriteLine(NanoSurfaceCompiler.Describe(errors));
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Guard_accepts_the_constructs_nanoFramework_has()
    {
        const string snippet = """
            using System;
            using System.Collections;
            using System.Threading;
            using System.Text;
            class C : IDisposable
            {
                private readonly object _gate = new object();
                private readonly ArrayList _items = new ArrayList();
                private readonly Hashtable _byName = new Hashtable();
                private static readonly byte[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
                private int _count;
                public event EventHandler Changed;
                public string M(int n)
                {
                    lock (_gate) { _items.Add(n); }
                    foreach (object o in _items) { _count += (int)o; }
                    Interlocked.Increment(ref _count);
                    var sb = new StringBuilder();
                    sb.Append("n=").Append(n);
                    Changed?.Invoke(this, EventArgs.Empty);
                    _byName["x"] = Table[n % Table.Length];
                    return sb.ToString() + $"count {_count} of {n}";
                }
                public void Dispose() { }
            }
            """;

        var errors = NanoSurfaceCompiler.Compile([("snippet-ok.cs", snippet)]);

        Assert.True(errors.Count == 0, NanoSurfaceCompiler.Describe(errors));
    }
}
