using System.Globalization;
using System.Text;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// MacKay's alist text format for sparse parity-check matrices
/// (https://www.inference.org.uk/mackay/codes/alist.html):
/// <code>
/// n m                      (columns, rows)
/// maxColumnWeight maxRowWeight
/// n column weights
/// m row weights
/// n lines: the 1-based rows of each column (zero padding allowed)
/// m lines: the 1-based columns of each row (zero padding allowed)
/// </code>
/// The row lists define the matrix; the column lists must agree with them.
/// </summary>
public static class AlistFormat
{
    public static SparseParityCheckMatrix ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.ASCII);
        return Read(reader, path);
    }

    public static void WriteFile(string path, SparseParityCheckMatrix matrix)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        Write(writer, matrix);
    }

    public static void Write(TextWriter writer, SparseParityCheckMatrix matrix)
    {
        var maxColumn = 0;
        var maxRow = 0;
        for (var c = 0; c < matrix.Columns; c++) maxColumn = Math.Max(maxColumn, matrix.ColumnDegree(c));
        for (var r = 0; r < matrix.Rows; r++) maxRow = Math.Max(maxRow, matrix.RowDegree(r));
        writer.WriteLine($"{matrix.Columns} {matrix.Rows}");
        writer.WriteLine($"{maxColumn} {maxRow}");
        var line = new StringBuilder();
        for (var c = 0; c < matrix.Columns; c++) Append(line, matrix.ColumnDegree(c));
        Flush(writer, line);
        for (var r = 0; r < matrix.Rows; r++) Append(line, matrix.RowDegree(r));
        Flush(writer, line);
        for (var c = 0; c < matrix.Columns; c++)
        {
            foreach (var r in matrix.RowsOfColumn(c)) Append(line, r + 1);
            Flush(writer, line);
        }
        for (var r = 0; r < matrix.Rows; r++)
        {
            foreach (var c in matrix.ColumnsOfRow(r)) Append(line, c + 1);
            Flush(writer, line);
        }
    }

    private static void Append(StringBuilder line, int value)
    {
        if (line.Length > 0) line.Append(' ');
        line.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    private static void Flush(TextWriter writer, StringBuilder line)
    {
        writer.Write(line);
        writer.Write('\n');
        line.Clear();
    }

    /// <summary>Parses an alist; <paramref name="source"/> names the input in error messages.</summary>
    /// <exception cref="FormatException">Malformed or truncated input; the message names the line.</exception>
    public static SparseParityCheckMatrix Read(TextReader reader, string source = "alist")
    {
        var lines = new LineReader(reader, source);
        var header = lines.Numbers(2, "the header 'columns rows'");
        var columns = header[0];
        var rows = header[1];
        if (columns <= 0 || rows <= 0 || rows >= columns)
            throw lines.Error($"needs 0 < rows < columns, got columns {columns}, rows {rows}");
        lines.Numbers(2, "'maxColumnWeight maxRowWeight'");
        var columnWeights = lines.Numbers(columns, "the column weights");
        var rowWeights = lines.Numbers(rows, "the row weights");
        var columnLists = new int[columns][];
        for (var c = 0; c < columns; c++)
            columnLists[c] = lines.Indices(columnWeights[c], rows, $"the rows of column {c + 1}");
        var rowLists = new int[rows][];
        for (var r = 0; r < rows; r++)
            rowLists[r] = lines.Indices(rowWeights[r], columns, $"the columns of row {r + 1}");
        SparseParityCheckMatrix matrix;
        try
        {
            matrix = new SparseParityCheckMatrix(rows, columns, rowLists);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
        for (var c = 0; c < columns; c++)
        {
            var fromRows = matrix.RowsOfColumn(c);
            Array.Sort(columnLists[c]);
            if (!fromRows.SequenceEqual(columnLists[c]))
                throw new FormatException($"{source}: the column list of column {c + 1} disagrees with the row lists");
        }
        return matrix;
    }

    private sealed class LineReader(TextReader reader, string source)
    {
        private int _lineNumber;

        public FormatException Error(string message) => new($"{source}, line {_lineNumber}: {message}");

        public int[] Numbers(int count, string what)
        {
            var text = NextLine(what);
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < count)
                throw Error($"expected {count} numbers for {what}, found {parts.Length}");
            var values = new int[count];
            for (var i = 0; i < count; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0)
                    throw Error($"'{parts[i]}' in {what} is not a non-negative integer");
            }
            for (var i = count; i < parts.Length; i++)
            {
                if (parts[i] != "0") throw Error($"{what}: more than {count} numbers");
            }
            return values;
        }

        /// <summary>Reads <paramref name="count"/> 1-based indices up to <paramref name="max"/>, returns them 0-based.</summary>
        public int[] Indices(int count, int max, string what)
        {
            var values = Numbers(count, what);
            for (var i = 0; i < count; i++)
            {
                if (values[i] < 1 || values[i] > max) throw Error($"index {values[i]} in {what} is outside 1..{max}");
                values[i]--;
            }
            return values;
        }

        private string NextLine(string what)
        {
            while (true)
            {
                var line = reader.ReadLine();
                _lineNumber++;
                if (line is null) throw Error($"file ends early: expected {what}");
                if (line.Trim().Length > 0) return line;
            }
        }
    }
}
