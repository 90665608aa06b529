namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Layered normalised min-sum: the sum-product check update with the magnitude replaced by the smallest
/// other incoming magnitude times a factor alpha &lt; 1 that corrects min-sum's over-estimate (J. Chen,
/// M. P. C. Fossorier, "Near optimum universal belief propagation based decoding of LDPC codes", IEEE Trans.
/// Commun. 50(3), 2002), in the serial schedule of Hocevar (SIPS 2004). Only the two smallest magnitudes,
/// the position of the smallest and the sign product are needed per check, so each layer is two passes of
/// adds and compares, no transcendental functions.
/// </summary>
public sealed class LayeredMinSumDecoder : ISyndromeDecoder
{
    private readonly float[] _posterior;
    private readonly float[] _channel;
    private readonly float[] _checkToVariable;
    private readonly float[] _variableToCheck;

    public LayeredMinSumDecoder(SparseParityCheckMatrix matrix, int maxIterations = 60, float scaling = 1f, float offset = 0.8f)
    {
        if (!(scaling > 0 && scaling <= 1)) throw new ArgumentOutOfRangeException(nameof(scaling), "scaling must be in (0, 1]");
        Matrix = matrix;
        MaxIterations = maxIterations;
        Scaling = scaling;
        Offset = offset;
        _posterior = new float[matrix.Columns];
        _channel = new float[matrix.Columns];
        _checkToVariable = new float[matrix.Edges];
        var maxDegree = 0;
        for (var r = 0; r < matrix.Rows; r++) maxDegree = Math.Max(maxDegree, matrix.RowDegree(r));
        _variableToCheck = new float[maxDegree];
    }

    public SparseParityCheckMatrix Matrix { get; }

    public int MaxIterations { get; set; }

    /// <summary>Normalisation factor alpha applied to every check-to-variable magnitude.</summary>
    public float Scaling { get; }

    /// <summary>Offset beta subtracted from every magnitude (offset min-sum), floored at zero.</summary>
    public float Offset { get; }

    public DecodeResult Decode(ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded)
    {
        channelLlr[..Matrix.Columns].CopyTo(_posterior);
        channelLlr[..Matrix.Columns].CopyTo(_channel);
        Array.Clear(_checkToVariable);
        return Iterate(syndrome, decoded);
    }

    public void Wipe()
    {
        Array.Clear(_posterior);
        Array.Clear(_channel);
        Array.Clear(_checkToVariable);
        Array.Clear(_variableToCheck);
    }

    public DecodeResult Continue(ReadOnlySpan<float> channelLlr, ReadOnlySpan<int> changedColumns, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded)
    {
        foreach (var v in changedColumns)
        {
            _posterior[v] += channelLlr[v] - _channel[v];
            _channel[v] = channelLlr[v];
        }
        return Iterate(syndrome, decoded);
    }

    private DecodeResult Iterate(ReadOnlySpan<ulong> syndrome, Span<ulong> decoded)
    {
        for (var iteration = 1; iteration <= MaxIterations; iteration++)
        {
            var rowStart = Matrix.RowStart;
            var rowColumns = Matrix.RowColumns;
            for (var check = 0; check < Matrix.Rows; check++)
            {
                var syndromeBit = (syndrome[check >> 6] >> (check & 63)) & 1;
                UpdateCheck(rowColumns, rowStart[check], rowStart[check + 1], syndromeBit != 0);
            }
            HardDecision(decoded);
            if (Matrix.SatisfiesSyndrome(decoded, syndrome)) return new DecodeResult(true, iteration);
        }
        return new DecodeResult(false, MaxIterations);
    }

    /// <summary>
    /// q = L - r for every edge of the check; r' = alpha * (sign product incl. the syndrome bit, without q's own
    /// sign) * (min over the others of |q|); L = q + r'.
    /// </summary>
    private void UpdateCheck(ReadOnlySpan<int> rowColumns, int start, int end, bool syndromeBit)
    {
        var min1 = float.MaxValue;
        var min2 = float.MaxValue;
        var minIndex = -1;
        var negative = syndromeBit;
        var posterior = _posterior;
        var messages = _checkToVariable;
        var q = _variableToCheck;
        for (var e = start; e < end; e++)
        {
            var value = posterior[rowColumns[e]] - messages[e];
            q[e - start] = value;
            negative ^= value < 0;
            var magnitude = Math.Abs(value);
            if (magnitude < min1)
            {
                min2 = min1;
                min1 = magnitude;
                minIndex = e;
            }
            else if (magnitude < min2)
            {
                min2 = magnitude;
            }
        }
        var scaledMin1 = Scaling * Math.Max(0f, min1 - Offset);
        var scaledMin2 = Scaling * Math.Max(0f, min2 - Offset);
        for (var e = start; e < end; e++)
        {
            var value = q[e - start];
            var magnitude = e == minIndex ? scaledMin2 : scaledMin1;
            var message = negative ^ (value < 0) ? -magnitude : magnitude;
            messages[e] = message;
            posterior[rowColumns[e]] = value + message;
        }
    }

    private void HardDecision(Span<ulong> decoded)
    {
        decoded[..SparseParityCheckMatrix.WordsFor(Matrix.Columns)].Clear();
        for (var v = 0; v < Matrix.Columns; v++)
        {
            if (_posterior[v] < 0) decoded[v >> 6] |= 1UL << (v & 63);
        }
    }
}
