using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>The word-level syndrome and frame moves of reconciliation against their per-bit definitions.</summary>
public class ReconciliationFastPathTests
{
    private static SparseParityCheckMatrix RandomMatrix(int rows, int columns, int maxRowDegree, Random rng)
    {
        var lists = new int[rows][];
        for (var r = 0; r < rows; r++)
            lists[r] = Enumerable.Range(0, columns).OrderBy(_ => rng.Next()).Take(rng.Next(0, Math.Min(maxRowDegree, columns) + 1)).ToArray();
        return new SparseParityCheckMatrix(rows, columns, lists);
    }

    private static int EdgeParity(SparseParityCheckMatrix h, BitVector x, int row)
    {
        var parity = 0;
        foreach (var c in h.ColumnsOfRow(row)) parity ^= x[c] ? 1 : 0;
        return parity;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 13, 5)]
    [InlineData(64, 64, 9)]
    [InlineData(65, 129, 11)]
    [InlineData(300, 1001, 40)]
    public void Syndrome_and_its_check_equal_the_per_edge_parity(int rows, int columns, int maxRowDegree)
    {
        var rng = new Random(rows * 1000 + columns);
        for (var trial = 0; trial < 4; trial++)
        {
            var h = RandomMatrix(rows, columns, maxRowDegree, rng);
            var x = BitVector.Random(columns, rng);
            // Stale bits in the output and a longer output span must not leak into the result.
            var syndrome = Enumerable.Repeat(ulong.MaxValue, SparseParityCheckMatrix.WordsFor(rows) + 1).ToArray();
            h.Syndrome(x.Words, syndrome);
            for (var r = 0; r < rows; r++) Assert.Equal(EdgeParity(h, x, r), (int)((syndrome[r >> 6] >> (r & 63)) & 1));
            Assert.True(rows % 64 == 0 || syndrome[rows >> 6] >> (rows & 63) == 0);
            Assert.True(h.SatisfiesSyndrome(x.Words, syndrome));
            var r0 = Enumerable.Range(0, rows).FirstOrDefault(r => h.RowDegree(r) > 0, -1);
            if (r0 < 0) continue;
            x[h.ColumnsOfRow(r0)[0]] = !x[h.ColumnsOfRow(r0)[0]];
            Assert.False(h.SatisfiesSyndrome(x.Words, syndrome));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(37)]
    [InlineData(100)]
    public void Frame_insert_extract_and_llr_equal_the_per_position_definitions(int modulationBits) =>
        CheckFrameMoves(new MotherCode(PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(1000), 3), modulationBits), modulationBits);

    [Fact]
    public void Frame_moves_of_a_code_longer_than_the_stack_buffer_are_exact_too()
    {
        var rng = new Random(9);
        var h = RandomMatrix(20, 70_001, 30, rng);
        CheckFrameMoves(new MotherCode(h, 501), 9);
    }

    private static void CheckFrameMoves(MotherCode code, int seed)
    {
        var h = code.Matrix;
        var rng = new Random(seed);
        var source = BitVector.Random(3 * code.FrameBits + 5, rng);
        const float m = 2.5f;
        foreach (var start in new long[] { 0, 5, code.FrameBits + 63, 2L * code.FrameBits + 5 })
        {
            var codeword = Enumerable.Repeat(ulong.MaxValue, BitVector.WordCount(h.Columns)).ToArray();
            FrameColumns.Insert(code, source.Words, start, codeword);
            var expected = new BitVector(h.Columns);
            for (var i = 0; i < code.FrameBits; i++) expected[code.FramePositions[i]] = source[(int)(start + i)];
            Assert.Equal(expected.Words, codeword);

            var frame = Enumerable.Repeat(ulong.MaxValue, BitVector.WordCount(code.FrameBits)).ToArray();
            FrameColumns.Extract(code, codeword, frame);
            Assert.Equal(source.Slice((int)start, code.FrameBits).Words, frame);

            var llr = new float[h.Columns];
            FrameColumns.SetLlr(code, source.Words, start, m, llr);
            for (var i = 0; i < code.FrameBits; i++) Assert.Equal(source[(int)(start + i)] ? -m : m, llr[code.FramePositions[i]]);
        }
    }
}
