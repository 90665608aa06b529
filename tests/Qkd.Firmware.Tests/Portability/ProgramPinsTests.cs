using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Qkd.Firmware.Tests.Portability;

/// <summary>
/// The firmware image states only what Configure cannot: which board it is (BoardId, Role). Every pin
/// comes from the host's Configure, so Program.cs must not repeat the board file's pin numbers.
/// </summary>
public class ProgramPinsTests
{
    private static readonly string ProgramPath = Path.Combine(RepoRoot.Path, "firmware", "Qkd.Firmware", "Program.cs");

    private static CompilationUnitSyntax Program() =>
        CSharpSyntaxTree.ParseText(File.ReadAllText(ProgramPath)).GetCompilationUnitRoot();

    [Fact]
    public void Program_states_only_the_board_id_and_role_as_constants()
    {
        var program = Program().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.Text == "Program");
        var constants = program.Members.OfType<FieldDeclarationSyntax>()
            .Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword))
            .SelectMany(f => f.Declaration.Variables.Select(v => v.Identifier.Text))
            .Order();

        Assert.Equal(["BoardId", "Role"], constants);
    }

    [Fact]
    public void No_pin_number_is_named_or_set_anywhere_in_program()
    {
        var root = Program();
        var pinNames = root.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier.Text)
            .Concat(root.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.Text))
            .Where(name => name.EndsWith("Pin", StringComparison.Ordinal) || name.Contains("Pins", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.Empty(pinNames);
    }
}
