using System.Globalization;

namespace Qkd.Simulation.Tests.Trace;

/// <summary>A small strict VCD reader for tests: header declarations, then time-ordered value changes.</summary>
internal sealed class VcdReader
{
    public sealed record Var(string Scope, string Name, string Type, int Width, string Code);

    public sealed record ValueChange(long TimeNs, string Scope, string Name, double Value);

    public string? Timescale { get; private set; }
    public List<string> Scopes { get; } = [];
    public List<Var> Vars { get; } = [];
    public List<long> TimeBlocks { get; } = [];
    public List<ValueChange> Changes { get; } = [];

    public static VcdReader Parse(string text)
    {
        var reader = new VcdReader();
        var tokens = text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var byCode = new Dictionary<string, Var>();
        var scopeStack = new Stack<string>();
        var i = 0;
        var definitionsDone = false;
        while (!definitionsDone)
        {
            var keyword = tokens[i++];
            var body = new List<string>();
            while (tokens[i] != "$end") body.Add(tokens[i++]);
            i++;
            switch (keyword)
            {
                case "$timescale": reader.Timescale = string.Join(" ", body); break;
                case "$scope":
                    Assert.Equal("module", body[0]);
                    scopeStack.Push(body[1]);
                    reader.Scopes.Add(body[1]);
                    break;
                case "$upscope": scopeStack.Pop(); break;
                case "$var":
                    Assert.NotEmpty(scopeStack);
                    var v = new Var(scopeStack.Peek(), body[3], body[0], int.Parse(body[1], CultureInfo.InvariantCulture), body[2]);
                    Assert.True(byCode.TryAdd(v.Code, v), $"identifier {v.Code} used twice");
                    reader.Vars.Add(v);
                    break;
                case "$enddefinitions": definitionsDone = true; break;
                case "$date" or "$version" or "$comment": break;
                default: throw new FormatException($"unexpected header keyword {keyword}");
            }
        }
        Assert.Empty(scopeStack);

        long now = -1;
        while (i < tokens.Length)
        {
            var token = tokens[i++];
            if (token[0] == '#')
            {
                var t = long.Parse(token.AsSpan(1), CultureInfo.InvariantCulture);
                Assert.True(t > now, $"time block #{t} after #{now}");
                now = t;
                reader.TimeBlocks.Add(t);
                continue;
            }
            Assert.True(now >= 0, "value change before the first time block");
            if (token[0] == 'r')
            {
                var value = double.Parse(token.AsSpan(1), CultureInfo.InvariantCulture);
                var v = byCode[tokens[i++]];
                Assert.Equal("real", v.Type);
                reader.Changes.Add(new ValueChange(now, v.Scope, v.Name, value));
            }
            else
            {
                Assert.Contains(token[0], "01xz");
                var v = byCode[token[1..]];
                Assert.Equal("wire", v.Type);
                reader.Changes.Add(new ValueChange(now, v.Scope, v.Name, token[0] == '1' ? 1 : 0));
            }
        }
        return reader;
    }

    public List<(long TimeNs, double Value)> History(string scope, string name) =>
        Changes.Where(c => c.Scope == scope && c.Name == name).Select(c => (c.TimeNs, c.Value)).ToList();
}
