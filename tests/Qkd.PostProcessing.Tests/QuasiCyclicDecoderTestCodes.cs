using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Tests;

/// <summary>
/// Small quasi-cyclic codes for the decoder tests (the shipped family is built on branch qc-codes): a PEG
/// base graph, lifted with seeded random shifts, each drawn again while it would close a 4-cycle with the
/// shifts already placed (base entries (i,j),(i,j2),(i2,j2),(i2,j) close one when s - s' + s'' - s''' = 0 mod Z).
/// </summary>
internal static class QuasiCyclicDecoderTestCodes
{
    /// <summary>Low maximum degree so that a base graph of ~100 columns exists; design rate about 0.54.</summary>
    public static DegreeDistribution Small { get; } = new(
        new Dictionary<int, double> { [2] = 0.25, [3] = 0.45, [8] = 0.30 },
        new Dictionary<int, double> { [7] = 1.0 });

    private static readonly Lazy<QuasiCyclicCode> RateHalf = new(() => Build(Small, 100, 32, 7));

    /// <summary>100 base columns, Z = 32 (n = 3200).</summary>
    public static QuasiCyclicCode RateHalfZ32 => RateHalf.Value;

    public static QuasiCyclicCode Build(DegreeDistribution distribution, int baseColumns, int z, ulong seed)
    {
        var baseGraph = PegBuilder.Build(distribution.ToProfile(baseColumns), seed);
        var rng = new Random((int)seed);
        var shift = new Dictionary<(int Row, int Column), int>();
        var columns = new int[baseGraph.Rows][];
        var shifts = new int[baseGraph.Rows][];
        for (var i = 0; i < baseGraph.Rows; i++)
        {
            columns[i] = baseGraph.ColumnsOfRow(i).ToArray();
            shifts[i] = new int[columns[i].Length];
            for (var k = 0; k < columns[i].Length; k++)
            {
                var j = columns[i][k];
                var attempts = 0;
                int s;
                do
                {
                    if (++attempts > 10 * z) throw new InvalidOperationException("no 4-cycle-free shift found");
                    s = rng.Next(z);
                } while (ClosesFourCycle(baseGraph, shift, i, j, s, z));
                shift[(i, j)] = s;
                shifts[i][k] = s;
            }
        }
        return new QuasiCyclicCode(z, baseColumns, columns, shifts);
    }

    private static bool ClosesFourCycle(SparseParityCheckMatrix baseGraph, Dictionary<(int, int), int> shift, int i, int j, int s, int z)
    {
        foreach (var j2 in baseGraph.ColumnsOfRow(i))
        {
            if (j2 == j || !shift.TryGetValue((i, j2), out var a)) continue;
            foreach (var i2 in baseGraph.RowsOfColumn(j))
            {
                if (i2 == i || !shift.TryGetValue((i2, j), out var c) || !shift.TryGetValue((i2, j2), out var b)) continue;
                if (((s - a + b - c) % z + z) % z == 0) return true;
            }
        }
        return false;
    }
}
