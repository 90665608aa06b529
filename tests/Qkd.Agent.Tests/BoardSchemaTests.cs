using System.Text.Json.Nodes;
using Qkd.Agent.Boards;

namespace Qkd.Agent.Tests;

/// <summary>The JSON schema (for editors) and the loader (the enforcer) agree.</summary>
public class BoardSchemaTests
{
    private static JsonObject Schema => JsonNode.Parse(File.ReadAllText(Path.Combine(BoardFileTests.BoardsDirectory, "board.schema.json")))!.AsObject();

    private static JsonObject Board(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(BoardFileTests.BoardsDirectory, file)))!.AsObject();

    public static TheoryData<string> Files => new(BoardFileTests.ShippedBoardFiles);

    [Theory]
    [MemberData(nameof(Files))]
    public void Shipped_board_uses_only_fields_the_schema_declares(string file)
    {
        var schemaProperties = Schema["properties"]!.AsObject();
        foreach (var (name, value) in Board(file))
        {
            Assert.True(schemaProperties.ContainsKey(name), $"{file}: $.{name} is not in the schema");
            if (value is JsonObject nested)
                foreach (var (inner, _) in nested)
                    Assert.True(schemaProperties[name]!["properties"]!.AsObject().ContainsKey(inner), $"{file}: $.{name}.{inner} is not in the schema");
        }
    }

    [Fact]
    public void Every_field_the_schema_requires_is_required_by_the_loader()
    {
        var schema = Schema;
        var required = new List<string>();
        foreach (var name in schema["required"]!.AsArray()) required.Add("$." + name);
        foreach (var (name, property) in schema["properties"]!.AsObject())
            if (property?["required"] is JsonArray inner)
                foreach (var field in inner) required.Add($"$.{name}.{field}");
        Assert.Contains("$.pins.dacSync", required);

        foreach (var path in required)
        {
            var board = Board("bob-esp32.json"); // Bob has every object, gate included
            var parts = path.Split('.')[1..];
            var parent = parts.Length == 1 ? board : board[parts[0]]!.AsObject();
            parent.Remove(parts[^1]);
            var error = Assert.Throws<BoardFileException>(() => BoardFile.Parse(board.ToJsonString()));
            Assert.True(error.Errors.Any(e => e.Field == path && e.Reason == "missing"), $"{path} not refused as missing: {error.Message}");
        }
    }
}
