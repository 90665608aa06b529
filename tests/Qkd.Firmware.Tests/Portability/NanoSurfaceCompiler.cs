using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Qkd.Firmware.Tests.Portability;

/// <summary>
/// Compiles C# sources against our declared nanoFramework 1.x API surface (NanoSurface/*.cs, embedded
/// in this assembly) instead of the .NET runtime, so any API nanoFramework lacks is a compile error.
/// </summary>
public static class NanoSurfaceCompiler
{
    public const string NanoSymbol = "NANOFRAMEWORK_1_0";

    private static readonly Lazy<MetadataReference> Surface = new(BuildSurface);

    public static MetadataReference SurfaceReference => Surface.Value;

    /// <summary>Compiles and emits the sources (so emit-time checks such as missing compiler helpers run too).</summary>
    public static IReadOnlyList<Diagnostic> Compile(IEnumerable<(string Path, string Text)> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: [NanoSymbol]);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            "Qkd.Firmware.NanoCheck",
            trees,
            [SurfaceReference],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        EmitResult result = compilation.Emit(pe);
        return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(Environment.NewLine, diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id} {d.GetMessage()}";
        }));

    private static MetadataReference BuildSurface()
    {
        var assembly = typeof(NanoSurfaceCompiler).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.Contains(".NanoSurface.", StringComparison.Ordinal)).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException("No NanoSurface sources are embedded in the test assembly.");
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = names.Select(n =>
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
            return CSharpSyntaxTree.ParseText(reader.ReadToEnd(), parse, n);
        });
        // No references at all: this assembly is the core library (it defines System.Object).
        var compilation = CSharpCompilation.Create(
            "mscorlib",
            trees,
            [],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success)
        {
            throw new InvalidOperationException("The declared nanoFramework surface does not compile:" + Environment.NewLine + Describe(errors));
        }

        return MetadataReference.CreateFromImage(pe.ToArray());
    }
}
