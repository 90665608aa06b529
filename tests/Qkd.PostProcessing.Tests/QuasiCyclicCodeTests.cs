using Qkd.PostProcessing.Ldpc;
using Xunit;

namespace Qkd.PostProcessing.Tests;

public class QuasiCyclicCodeTests
{
    // Base matrix 2 x 3, Z = 4: row 0 = col 0 shift 1, col 2 shift 3; row 1 = col 1 shift 0, col 2 shift 2.
    private static QuasiCyclicCode Small() => new(4, 3, [[0, 2], [1, 2]], [[1, 3], [0, 2]]);

    [Fact]
    public void Lifted_matrix_follows_the_circulant_convention()
    {
        var h = Small().ToMatrix();
        Assert.Equal(8, h.Rows);
        Assert.Equal(12, h.Columns);
        // check i Z + r touches variable j Z + (r + s) mod Z.
        Assert.Equal([1, 11], h.ColumnsOfRow(0).ToArray());
        Assert.Equal([0, 10], h.ColumnsOfRow(3).ToArray());
        Assert.Equal([4, 10], h.ColumnsOfRow(4).ToArray());
        Assert.Equal([7, 9], h.ColumnsOfRow(7).ToArray());
        for (var c = 0; c < 8; c++) Assert.Equal(1, h.ColumnDegree(c));
        for (var c = 8; c < 12; c++) Assert.Equal(2, h.ColumnDegree(c));
    }

    [Fact]
    public void Text_format_round_trips()
    {
        var code = Small();
        var writer = new StringWriter();
        code.Write(writer);
        var back = QuasiCyclicCode.Read(new StringReader(writer.ToString()));
        Assert.Equal(code.LiftingSize, back.LiftingSize);
        Assert.Equal(code.BaseColumns, back.BaseColumns);
        Assert.Equal(code.Circulants, back.Circulants);
        Assert.Equal(code.ToMatrix().ToRowLists(), back.ToMatrix().ToRowLists());
    }

    [Theory]
    [InlineData("alist\n4 2 3\n0:1\n1:0\n", "first line")]
    [InlineData("qc-ldpc\n4 2\n0:1\n1:0\n", "three positive integers")]
    [InlineData("qc-ldpc\n4 2 3\n0:1 2:3\n", "truncated")]
    [InlineData("qc-ldpc\n4 2 3\n0:1\n1:0\n2:2\n", "more than the 2 base rows")]
    [InlineData("qc-ldpc\n4 2 3\n0:4\n1:0\n", "shift 4 outside")]
    [InlineData("qc-ldpc\n4 2 3\n3:0\n1:0\n", "column 3 outside")]
    [InlineData("qc-ldpc\n4 2 3\n0:1 0:2\n1:0\n", "twice")]
    [InlineData("qc-ldpc\n4 2 3\n0-1\n1:0\n", "not COLUMN:SHIFT")]
    public void Bad_files_are_refused_with_a_clear_message(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => QuasiCyclicCode.Read(new StringReader(text), "code.qc"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("code.qc", e.Message);
    }
}
