using System.Globalization;
using System.Text;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// A quasi-cyclic LDPC code: a base matrix of BaseRows x BaseColumns entries, each either empty or a Z x Z
/// circulant permutation matrix (the identity cyclically shifted). Base entry (i, j) with shift s connects
/// check i Z + r to variable j Z + ((r + s) mod Z), r = 0 .. Z - 1. A block row of Z checks therefore
/// touches each variable at most once per circulant, which is what lets a decoder update the Z checks of
/// a layer together, one SIMD lane per check (Z = 32: one AVX2 vector of bytes per circulant).
/// </summary>
public sealed class QuasiCyclicCode
{
    private readonly int[][] _columns;
    private readonly int[][] _shifts;

    /// <param name="liftingSize">Z, the circulant size.</param>
    /// <param name="baseColumns">Number of base columns (block columns).</param>
    /// <param name="columnsOfBaseRow">Per base row, its base columns (each at most once).</param>
    /// <param name="shiftsOfBaseRow">Per base row, the circulant shift of each listed column, 0 .. Z - 1.</param>
    public QuasiCyclicCode(int liftingSize, int baseColumns, int[][] columnsOfBaseRow, int[][] shiftsOfBaseRow)
    {
        if (liftingSize <= 0) throw new ArgumentOutOfRangeException(nameof(liftingSize), "the lifting size Z must be positive");
        if (baseColumns <= 0) throw new ArgumentOutOfRangeException(nameof(baseColumns), "the base matrix needs at least one column");
        if (columnsOfBaseRow.Length == 0) throw new ArgumentException("the base matrix needs at least one row", nameof(columnsOfBaseRow));
        if (shiftsOfBaseRow.Length != columnsOfBaseRow.Length)
            throw new ArgumentException("one shift list per base row is needed", nameof(shiftsOfBaseRow));
        LiftingSize = liftingSize;
        BaseColumns = baseColumns;
        BaseRows = columnsOfBaseRow.Length;
        _columns = new int[BaseRows][];
        _shifts = new int[BaseRows][];
        var seen = new int[baseColumns];
        Array.Fill(seen, -1);
        for (var i = 0; i < BaseRows; i++)
        {
            var columns = columnsOfBaseRow[i];
            var shifts = shiftsOfBaseRow[i];
            if (shifts.Length != columns.Length)
                throw new ArgumentException($"base row {i} has {columns.Length} columns but {shifts.Length} shifts", nameof(shiftsOfBaseRow));
            for (var k = 0; k < columns.Length; k++)
            {
                if ((uint)columns[k] >= (uint)baseColumns)
                    throw new ArgumentException($"base row {i} has column {columns[k]} outside 0..{baseColumns - 1}", nameof(columnsOfBaseRow));
                if (seen[columns[k]] == i)
                    throw new ArgumentException($"base row {i} lists column {columns[k]} twice", nameof(columnsOfBaseRow));
                seen[columns[k]] = i;
                if ((uint)shifts[k] >= (uint)liftingSize)
                    throw new ArgumentException($"base row {i} has shift {shifts[k]} outside 0..{liftingSize - 1}", nameof(shiftsOfBaseRow));
            }
            _columns[i] = (int[])columns.Clone();
            _shifts[i] = (int[])shifts.Clone();
        }
    }

    /// <summary>Z: checks per block row and variables per block column.</summary>
    public int LiftingSize { get; }

    public int BaseRows { get; }

    public int BaseColumns { get; }

    /// <summary>Checks m = BaseRows Z.</summary>
    public int Rows => BaseRows * LiftingSize;

    /// <summary>Variables n = BaseColumns Z.</summary>
    public int Columns => BaseColumns * LiftingSize;

    /// <summary>Non-empty base entries (circulants); the lifted graph has Z times as many edges.</summary>
    public int Circulants => _columns.Sum(c => c.Length);

    public ReadOnlySpan<int> ColumnsOfBaseRow(int baseRow) => _columns[baseRow];

    public ReadOnlySpan<int> ShiftsOfBaseRow(int baseRow) => _shifts[baseRow];

    /// <summary>The lifted parity-check matrix (Rows x Columns), for the generic decoders, syndromes and tests.</summary>
    public SparseParityCheckMatrix ToMatrix()
    {
        var z = LiftingSize;
        var rows = new int[Rows][];
        for (var i = 0; i < BaseRows; i++)
        {
            var columns = _columns[i];
            var shifts = _shifts[i];
            for (var r = 0; r < z; r++)
            {
                var row = new int[columns.Length];
                for (var k = 0; k < columns.Length; k++) row[k] = columns[k] * z + (r + shifts[k]) % z;
                rows[i * z + r] = row;
            }
        }
        return new SparseParityCheckMatrix(Rows, Columns, rows);
    }

    // ---------- text format ----------
    // qc-ldpc
    // Z BASE_ROWS BASE_COLUMNS
    // one line per base row: COLUMN:SHIFT pairs separated by spaces (0-based)
    // '#' starts a comment anywhere; blank lines are ignored.

    private const string Magic = "qc-ldpc";

    public static QuasiCyclicCode ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.ASCII);
        return Read(reader, path);
    }

    public void WriteFile(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        Write(writer);
    }

    public void Write(TextWriter writer)
    {
        writer.WriteLine(Magic);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{LiftingSize} {BaseRows} {BaseColumns}"));
        var line = new StringBuilder();
        for (var i = 0; i < BaseRows; i++)
        {
            line.Clear();
            for (var k = 0; k < _columns[i].Length; k++)
            {
                if (k > 0) line.Append(' ');
                line.Append(_columns[i][k].ToString(CultureInfo.InvariantCulture)).Append(':').Append(_shifts[i][k].ToString(CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line.ToString());
        }
    }

    /// <param name="source">Named in error messages (a file path).</param>
    public static QuasiCyclicCode Read(TextReader reader, string source = "input")
    {
        var lineNumber = 0;
        string? NextLine()
        {
            while (reader.ReadLine() is { } raw)
            {
                lineNumber++;
                var hash = raw.IndexOf('#');
                var text = (hash >= 0 ? raw[..hash] : raw).Trim();
                if (text.Length > 0) return text;
            }
            return null;
        }
        FormatException Error(string message) => new($"{source}: line {lineNumber}: {message}");

        if (NextLine() != Magic) throw Error($"not a quasi-cyclic code file (first line must be '{Magic}')");
        var header = NextLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            ?? throw Error("missing 'Z BASE_ROWS BASE_COLUMNS' line");
        if (header.Length != 3
            || !int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out var z)
            || !int.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out var baseRows)
            || !int.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var baseColumns)
            || z <= 0 || baseRows <= 0 || baseColumns <= 0)
            throw Error("expected three positive integers 'Z BASE_ROWS BASE_COLUMNS'");
        var columns = new int[baseRows][];
        var shifts = new int[baseRows][];
        for (var i = 0; i < baseRows; i++)
        {
            var line = NextLine() ?? throw Error($"file ends after {i} of {baseRows} base rows (truncated?)");
            var entries = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            columns[i] = new int[entries.Length];
            shifts[i] = new int[entries.Length];
            for (var k = 0; k < entries.Length; k++)
            {
                var colon = entries[k].IndexOf(':');
                if (colon <= 0
                    || !int.TryParse(entries[k].AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out columns[i][k])
                    || !int.TryParse(entries[k].AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out shifts[i][k]))
                    throw Error($"entry '{entries[k]}' is not COLUMN:SHIFT");
            }
        }
        if (NextLine() is not null) throw Error($"more than the {baseRows} base rows the header announces");
        try
        {
            return new QuasiCyclicCode(z, baseColumns, columns, shifts);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
    }
}
