using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Tests;

public class LdpcMatrixTests
{
    private static SparseParityCheckMatrix Small() => new(3, 7, [[0, 1, 2, 4], [1, 2, 3, 5], [0, 2, 3, 6]]);

    [Fact]
    public void Syndrome_matches_the_dense_product_on_random_words()
    {
        var h = PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(1000), 3);
        var rng = new Random(1);
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(h.Rows)];
        for (var trial = 0; trial < 5; trial++)
        {
            var x = BitVector.Random(h.Columns, rng);
            h.Syndrome(x.Words, syndrome);
            for (var r = 0; r < h.Rows; r++)
            {
                var parity = 0;
                foreach (var c in h.ColumnsOfRow(r)) parity ^= x[c] ? 1 : 0;
                Assert.Equal(parity, (int)((syndrome[r >> 6] >> (r & 63)) & 1));
            }
            Assert.True(h.SatisfiesSyndrome(x.Words, syndrome));
            x[17] = !x[17];
            Assert.False(h.SatisfiesSyndrome(x.Words, syndrome));
        }
    }

    [Fact]
    public void Rows_and_columns_views_describe_the_same_edges()
    {
        var h = Small();
        Assert.Equal(12, h.Edges);
        Assert.Equal([0, 2], h.RowsOfColumn(0).ToArray());
        Assert.Equal([0, 1, 2], h.RowsOfColumn(2).ToArray());
        for (var c = 0; c < h.Columns; c++)
        {
            for (var i = h.ColumnStart[c]; i < h.ColumnStart[c + 1]; i++)
                Assert.Equal(c, h.RowColumns[h.ColumnEdges[i]]);
        }
    }

    [Fact]
    public void Alist_round_trip_keeps_the_matrix()
    {
        var h = PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(600), 9);
        var text = new StringWriter();
        AlistFormat.Write(text, h);
        var back = AlistFormat.Read(new StringReader(text.ToString()));
        Assert.Equal(h.Rows, back.Rows);
        Assert.Equal(h.Columns, back.Columns);
        Assert.Equal(h.RowColumns.ToArray(), back.RowColumns.ToArray());
        Assert.Equal(h.ColumnRows.ToArray(), back.ColumnRows.ToArray());
        var again = new StringWriter();
        AlistFormat.Write(again, back);
        Assert.Equal(text.ToString(), again.ToString());
    }

    [Fact]
    public void Alist_reader_accepts_zero_padding_as_in_MacKay_files()
    {
        const string padded = "4 2\n2 3\n1 2 1 2\n3 3\n1 0\n1 2\n2 0\n1 2\n1 2 4\n2 3 4\n";
        var h = AlistFormat.Read(new StringReader(padded));
        Assert.Equal([0, 1, 3], h.ColumnsOfRow(0).ToArray());
        Assert.Equal([1, 2, 3], h.ColumnsOfRow(1).ToArray());
    }

    [Theory]
    [InlineData("4 2\n2 3\n1 2 1 2\n3 3\n1\n1 2\n2\n1 2\n1 2 4\n", 10, "ends early")]
    [InlineData("4 2\n2 3\n1 2 1 2\n3 3\n1\n1 2\n2\n1 2\n1 2 4\n2 3 9\n", 10, "outside 1..4")]
    [InlineData("4 2\n2 3\n1 2 x 2\n3 3\n", 3, "not a non-negative integer")]
    [InlineData("4\n", 1, "expected 2 numbers")]
    [InlineData("4 2\n2 3\n1 2 1 2\n3 3\n1\n1 2\n2\n1 2\n1 2 3\n2 3 4\n", 0, "disagrees")]
    public void Malformed_alist_is_refused_naming_the_line(string text, int line, string reason)
    {
        var error = Assert.Throws<FormatException>(() => AlistFormat.Read(new StringReader(text), "bad.alist"));
        Assert.Contains(reason, error.Message);
        Assert.Contains("bad.alist", error.Message);
        if (line > 0) Assert.Contains($"line {line}:", error.Message);
    }

    [Fact]
    public void Four_cycle_detector_finds_two_columns_sharing_two_rows()
    {
        Assert.True(new SparseParityCheckMatrix(2, 4, [[0, 1, 2], [0, 1, 3]]).HasFourCycle());
        Assert.False(new SparseParityCheckMatrix(2, 4, [[0, 1, 2], [0, 3]]).HasFourCycle());
    }
}
