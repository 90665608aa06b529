using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

public class QuasiCyclicPegTests
{
    private static readonly DegreeDistribution Irregular = DegreeDistribution.Parse(new StringReader(
        "lambda 2 0.25\nlambda 3 0.45\nlambda 8 0.30\nrho 10 0.5\nrho 11 0.5\n"));

    [Fact]
    public void Base_graph_has_the_requested_column_profile_and_rows_near_their_targets()
    {
        var profile = Irregular.ToProfile(400);
        var code = QuasiCyclicPegBuilder.Build(profile, 16, 3);
        Assert.Equal(400, code.BaseColumns);
        Assert.Equal(profile.Rows, code.BaseRows);
        var columnDegrees = new int[code.BaseColumns];
        var rowDegrees = new int[code.BaseRows];
        for (var i = 0; i < code.BaseRows; i++)
        {
            rowDegrees[i] = code.ColumnsOfBaseRow(i).Length;
            foreach (var j in code.ColumnsOfBaseRow(i)) columnDegrees[j]++;
        }
        Assert.Equal(profile.VariableDegrees, columnDegrees.Order().ToArray());
        Assert.Equal(profile.VariableDegrees.Order(), Enumerable.Range(0, code.BaseColumns).Select(j => columnDegrees[j]).Order());
        var targets = profile.CheckDegrees.Order().ToArray();
        var moved = rowDegrees.Order().Zip(targets).Sum(p => Math.Abs(p.First - p.Second));
        Assert.True(moved <= code.BaseRows / 10, $"{moved} row-degree units away from the target profile");
        // Lifting keeps the profile: every lifted column has its base column's degree.
        var h = code.ToMatrix();
        Assert.All(Enumerable.Range(0, h.Columns), c => Assert.Equal(columnDegrees[c / 16], h.ColumnDegree(c)));
    }

    [Theory]
    [InlineData(16, 1UL)]
    [InlineData(32, 7UL)]
    public void Lifted_matrix_has_no_four_cycles(int z, ulong seed)
    {
        // 100 base columns: sparse enough that PEG can keep every lifted pair of columns to one shared check.
        var code = QuasiCyclicPegBuilder.Build(Irregular, 100 * z, z, seed);
        Assert.False(code.ToMatrix().HasFourCycle());
    }

    [Fact]
    public void Base_matrix_dense_enough_for_base_four_cycles_still_lifts_without_them()
    {
        // 24 x 48 base matrix with (4, 8)-regular rows: many base 4-cycles, which the shifts must break.
        var regular = DegreeDistribution.Parse(new StringReader("lambda 4 1\nrho 8 1\n"));
        var code = QuasiCyclicPegBuilder.Build(regular.ToProfile(48), 32, 11);
        Assert.Equal(24, code.BaseRows);
        Assert.False(code.ToMatrix().HasFourCycle());
    }

    [Fact]
    public void Same_seed_builds_the_same_code_and_another_seed_another()
    {
        var a = Write(QuasiCyclicPegBuilder.Build(Irregular, 3200, 32, 5));
        var b = Write(QuasiCyclicPegBuilder.Build(Irregular, 3200, 32, 5));
        var c = Write(QuasiCyclicPegBuilder.Build(Irregular, 3200, 32, 6));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Built_code_round_trips_through_the_qc_text_format()
    {
        var code = QuasiCyclicPegBuilder.Build(Irregular, 1600, 32, 2);
        var text = Write(code);
        var back = QuasiCyclicCode.Read(new StringReader(text));
        Assert.Equal(code.Circulants, back.Circulants);
        Assert.Equal(code.ToMatrix().ToRowLists(), back.ToMatrix().ToRowLists());
        Assert.Equal(text, Write(back));
    }

    [Fact]
    public void Refuses_a_length_that_is_not_a_multiple_of_z_and_degrees_above_the_base_rows()
    {
        Assert.Throws<ArgumentException>(() => QuasiCyclicPegBuilder.Build(Irregular, 1000, 32, 1));
        var tooDense = new DegreeProfile([3, 3, 3, 3], [6, 6]);
        Assert.Throws<ArgumentException>(() => QuasiCyclicPegBuilder.Build(tooDense, 8, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuasiCyclicPegBuilder.Build(Irregular, 6400, 128, 1));
    }

    [Fact]
    public void Shipped_qc_codes_have_n_100000_or_102400_z_32_their_rates_and_girth_at_least_six()
    {
        var directory = Path.Combine(Reconcilers.FindCodesDirectory(), "qc");
        var files = Directory.GetFiles(directory, "rate-*.qc");
        Assert.Equal(9, files.Length);
        foreach (var file in files)
        {
            var code = QuasiCyclicCode.ReadFile(file);
            var rate = double.Parse(Path.GetFileNameWithoutExtension(file)["rate-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(32, code.LiftingSize);
            // Rates 0.75, 0.8 and 0.85: n = 102 400, so a 90 000-bit frame leaves them 12 400 modulation bits (codes/qc/README.md).
            Assert.Equal(rate is 0.75 or 0.8 or 0.85 ? 102400 : 100000, code.Columns);
            Assert.InRange(1.0 - (double)code.Rows / code.Columns, rate - 0.002, rate + 0.002);
            Assert.False(code.ToMatrix().HasFourCycle(), $"{file} has a 4-cycle");
        }
    }

    [Fact]
    public void Degree_two_columns_close_no_short_cycles_among_themselves_even_when_they_outnumber_the_base_rows()
    {
        // 130 degree-2 columns on 100 base rows: base cycles of degree-2 columns are forced. A cycle of
        // degree-2 variables in the lifted graph is a codeword of that many bits; the shifts must make the
        // lift repeat each base cycle many times (naive offsets left weight-4 codewords in the n = 10^5 codes).
        var degrees = Enumerable.Repeat(2, 130).Concat(Enumerable.Repeat(3, 70)).Concat(Enumerable.Repeat(8, 40)).ToArray();
        var edges = degrees.Sum();
        var rows = Enumerable.Range(0, 100).Select(i => edges / 100 + (i < edges % 100 ? 1 : 0)).ToArray();
        var code = QuasiCyclicPegBuilder.Build(new DegreeProfile(degrees, rows), 16, 9);
        var h = code.ToMatrix();
        Assert.False(h.HasFourCycle());
        Assert.True(ShortestDegreeTwoCycle(h) >= 10, $"a codeword of {ShortestDegreeTwoCycle(h)} degree-2 variables");
    }

    /// <summary>Shortest cycle of the graph whose nodes are checks and whose edges are degree-2 columns, in columns.</summary>
    private static int ShortestDegreeTwoCycle(SparseParityCheckMatrix h)
    {
        var neighbours = new List<(int Check, int Column)>[h.Rows];
        for (var r = 0; r < h.Rows; r++) neighbours[r] = [];
        for (var c = 0; c < h.Columns; c++)
        {
            if (h.ColumnDegree(c) != 2) continue;
            var ends = h.RowsOfColumn(c);
            neighbours[ends[0]].Add((ends[1], c));
            neighbours[ends[1]].Add((ends[0], c));
        }
        var shortest = int.MaxValue;
        var distance = new int[h.Rows];
        var via = new int[h.Rows];
        for (var start = 0; start < h.Rows; start++)
        {
            Array.Fill(distance, -1);
            distance[start] = 0;
            via[start] = -1;
            var queue = new Queue<int>([start]);
            while (queue.Count > 0)
            {
                var u = queue.Dequeue();
                foreach (var (v, column) in neighbours[u])
                {
                    if (column == via[u]) continue;
                    if (distance[v] >= 0) { shortest = Math.Min(shortest, distance[u] + distance[v] + 1); continue; }
                    distance[v] = distance[u] + 1;
                    via[v] = column;
                    queue.Enqueue(v);
                }
            }
        }
        return shortest;
    }

    private static string Write(QuasiCyclicCode code)
    {
        var writer = new StringWriter();
        code.Write(writer);
        return writer.ToString();
    }
}
