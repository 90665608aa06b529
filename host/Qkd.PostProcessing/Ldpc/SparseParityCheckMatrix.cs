using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// A binary LDPC parity-check matrix H (Rows checks x Columns variables) stored twice, as compressed rows
/// (check -> variables) and compressed columns (variable -> checks), in flat int arrays. Edges are numbered
/// in row order; <see cref="ColumnEdges"/> maps each column entry back to its row-order edge so decoders can
/// keep one message per edge.
/// </summary>
public sealed class SparseParityCheckMatrix
{
    private readonly int[] _rowStart;
    private readonly int[] _rowColumns;
    private readonly int[] _columnStart;
    private readonly int[] _columnRows;
    private readonly int[] _columnEdges;

    public SparseParityCheckMatrix(int rows, int columns, int[][] columnsOfRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (columnsOfRow.Length != rows)
            throw new ArgumentException($"expected {rows} rows, got {columnsOfRow.Length}", nameof(columnsOfRow));
        Rows = rows;
        Columns = columns;
        _rowStart = new int[rows + 1];
        for (var r = 0; r < rows; r++) _rowStart[r + 1] = _rowStart[r] + columnsOfRow[r].Length;
        _rowColumns = new int[_rowStart[rows]];
        var columnDegree = new int[columns];
        for (var r = 0; r < rows; r++)
        {
            var sorted = (int[])columnsOfRow[r].Clone();
            Array.Sort(sorted);
            for (var i = 0; i < sorted.Length; i++)
            {
                var c = sorted[i];
                if ((uint)c >= (uint)columns)
                    throw new ArgumentException($"row {r} has column {c} outside 0..{columns - 1}", nameof(columnsOfRow));
                if (i > 0 && sorted[i - 1] == c)
                    throw new ArgumentException($"row {r} lists column {c} twice", nameof(columnsOfRow));
                _rowColumns[_rowStart[r] + i] = c;
                columnDegree[c]++;
            }
        }
        _columnStart = new int[columns + 1];
        for (var c = 0; c < columns; c++) _columnStart[c + 1] = _columnStart[c] + columnDegree[c];
        _columnRows = new int[_rowColumns.Length];
        _columnEdges = new int[_rowColumns.Length];
        var fill = (int[])_columnStart.Clone();
        for (var r = 0; r < rows; r++)
        {
            for (var e = _rowStart[r]; e < _rowStart[r + 1]; e++)
            {
                var slot = fill[_rowColumns[e]]++;
                _columnRows[slot] = r;
                _columnEdges[slot] = e;
            }
        }
    }

    /// <summary>Number of checks m (syndrome length).</summary>
    public int Rows { get; }

    /// <summary>Number of variables n (frame length).</summary>
    public int Columns { get; }

    public int Edges => _rowColumns.Length;

    /// <summary>Design rate 1 - m/n (the true rate if H has full rank).</summary>
    public double DesignRate => 1.0 - (double)Rows / Columns;

    /// <summary>Row r's entries are RowColumns[RowStart[r] .. RowStart[r+1]), ascending.</summary>
    public ReadOnlySpan<int> RowStart => _rowStart;

    public ReadOnlySpan<int> RowColumns => _rowColumns;

    /// <summary>Column c's entries are ColumnRows[ColumnStart[c] .. ColumnStart[c+1]), ascending.</summary>
    public ReadOnlySpan<int> ColumnStart => _columnStart;

    public ReadOnlySpan<int> ColumnRows => _columnRows;

    /// <summary>Row-order edge index of each column entry.</summary>
    public ReadOnlySpan<int> ColumnEdges => _columnEdges;

    public int RowDegree(int row) => _rowStart[row + 1] - _rowStart[row];

    public int ColumnDegree(int column) => _columnStart[column + 1] - _columnStart[column];

    public ReadOnlySpan<int> ColumnsOfRow(int row) => _rowColumns.AsSpan(_rowStart[row], RowDegree(row));

    public ReadOnlySpan<int> RowsOfColumn(int column) => _columnRows.AsSpan(_columnStart[column], ColumnDegree(column));

    /// <summary>Words needed to hold <paramref name="bits"/> packed bits.</summary>
    public static int WordsFor(int bits) => (bits + 63) >> 6;

    /// <summary>
    /// s = H x over GF(2). <paramref name="bits"/> holds Columns packed bits (LSB first), the result Rows packed
    /// bits; words past the last bit are cleared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Syndrome(ReadOnlySpan<ulong> bits, Span<ulong> syndrome)
    {
        var words = WordsFor(Columns);
        if (bits.Length < words) throw new ArgumentException($"need {Columns} bits", nameof(bits));
        if (syndrome.Length < WordsFor(Rows)) throw new ArgumentException($"need room for {Rows} bits", nameof(syndrome));
        syndrome[..WordsFor(Rows)].Clear();
        ref var x = ref MemoryMarshal.GetReference(bits[..words]);
        ref var s = ref MemoryMarshal.GetReference(syndrome);
        for (var r = 0; r < Rows; r++)
        {
            if (RowParity(ref x, r) != 0) Unsafe.Add(ref s, r >> 6) |= 1UL << (r & 63);
        }
    }

    /// <summary>True when H x equals <paramref name="syndrome"/>; stops at the first unsatisfied check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool SatisfiesSyndrome(ReadOnlySpan<ulong> bits, ReadOnlySpan<ulong> syndrome)
    {
        var words = WordsFor(Columns);
        if (bits.Length < words) throw new ArgumentException($"need {Columns} bits", nameof(bits));
        if (syndrome.Length < WordsFor(Rows)) throw new ArgumentException($"need {Rows} syndrome bits", nameof(syndrome));
        ref var x = ref MemoryMarshal.GetReference(bits[..words]);
        for (var r = 0; r < Rows; r++)
        {
            if ((RowParity(ref x, r) ^ ((syndrome[r >> 6] >> (r & 63)) & 1)) != 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Parity of row r's bits of x (in bit 0). Column indices come from the constructor's validated arrays, all
    /// below Columns, and the callers checked that x holds Columns bits, so the reads skip bounds checks; four
    /// accumulators keep the XOR chain from serialising the loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong RowParity(ref ulong x, int r)
    {
        ref var columns = ref MemoryArrayRef(_rowColumns);
        int e = _rowStart[r], end = _rowStart[r + 1];
        ulong p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        for (; e + 4 <= end; e += 4)
        {
            int c0 = Unsafe.Add(ref columns, e), c1 = Unsafe.Add(ref columns, e + 1);
            int c2 = Unsafe.Add(ref columns, e + 2), c3 = Unsafe.Add(ref columns, e + 3);
            p0 ^= Unsafe.Add(ref x, c0 >> 6) >> c0;
            p1 ^= Unsafe.Add(ref x, c1 >> 6) >> c1;
            p2 ^= Unsafe.Add(ref x, c2 >> 6) >> c2;
            p3 ^= Unsafe.Add(ref x, c3 >> 6) >> c3;
        }
        for (; e < end; e++)
        {
            int c = Unsafe.Add(ref columns, e);
            p0 ^= Unsafe.Add(ref x, c >> 6) >> c;
        }
        return (p0 ^ p1 ^ p2 ^ p3) & 1;
    }

    private static ref int MemoryArrayRef(int[] array) => ref MemoryMarshal.GetArrayDataReference(array);

    /// <summary>Rows of H as column lists (a copy), e.g. for writing or comparing.</summary>
    public int[][] ToRowLists()
    {
        var rows = new int[Rows][];
        for (var r = 0; r < Rows; r++) rows[r] = ColumnsOfRow(r).ToArray();
        return rows;
    }

    /// <summary>True if two columns share two rows (a 4-cycle in the Tanner graph, girth 4).</summary>
    public bool HasFourCycle()
    {
        // Two columns sharing two rows form a 4-cycle: mark, per column, the columns reached through each row.
        var seenFrom = new int[Columns];
        Array.Fill(seenFrom, -1);
        for (var c = 0; c < Columns; c++)
        {
            for (var i = _columnStart[c]; i < _columnStart[c + 1]; i++)
            {
                var r = _columnRows[i];
                for (var e = _rowStart[r]; e < _rowStart[r + 1]; e++)
                {
                    var other = _rowColumns[e];
                    if (other == c) continue;
                    if (seenFrom[other] == c) return true;
                    seenFrom[other] = c;
                }
            }
        }
        return false;
    }
}
