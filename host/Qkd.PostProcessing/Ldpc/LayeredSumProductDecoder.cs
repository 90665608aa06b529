namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Serial-schedule (layered) sum-product decoding, as the hBN paper's reconciliation: checks are processed
/// one after another and each updates the variable posteriors at once, which roughly halves the iterations
/// of flooding BP (E. Sharon, S. Litsyn, J. Goldberger, "Efficient serial message-passing schedules for LDPC
/// decoding", IEEE Trans. Inf. Theory 53(11), 2007; D. E. Hocevar, "A reduced complexity decoder
/// architecture via layered decoding of LDPC codes", SIPS 2004). The check update carries the syndrome bit's
/// sign: a check whose parity must be 1 flips its messages (Liveris, Xiong, Georghiades 2002).
/// </summary>
public sealed class LayeredSumProductDecoder : ISyndromeDecoder
{
    private const double MaxTanh = 0.9999999999;
    private readonly double[] _posterior;
    private readonly double[] _channel;
    private readonly double[] _checkToVariable;
    private readonly double[] _variableToCheck;
    private readonly double[] _tanhHalf;
    private readonly double[] _prefix;

    public LayeredSumProductDecoder(SparseParityCheckMatrix matrix, int maxIterations = 100)
    {
        Matrix = matrix;
        MaxIterations = maxIterations;
        _posterior = new double[matrix.Columns];
        _channel = new double[matrix.Columns];
        _checkToVariable = new double[matrix.Edges];
        var maxDegree = 0;
        for (var r = 0; r < matrix.Rows; r++) maxDegree = Math.Max(maxDegree, matrix.RowDegree(r));
        _variableToCheck = new double[maxDegree];
        _tanhHalf = new double[maxDegree];
        _prefix = new double[maxDegree + 1];
    }

    public SparseParityCheckMatrix Matrix { get; }

    public int MaxIterations { get; set; }

    public DecodeResult Decode(ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome, Span<ulong> decoded)
    {
        for (var v = 0; v < Matrix.Columns; v++) _posterior[v] = _channel[v] = channelLlr[v];
        Array.Clear(_checkToVariable);
        return Iterate(syndrome, decoded);
    }

    public void Wipe()
    {
        Array.Clear(_posterior);
        Array.Clear(_channel);
        Array.Clear(_checkToVariable);
        Array.Clear(_variableToCheck);
        Array.Clear(_tanhHalf);
        Array.Clear(_prefix);
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
            for (var check = 0; check < Matrix.Rows; check++) UpdateCheck(check, SyndromeBit(syndrome, check));
            HardDecision(decoded);
            if (Matrix.SatisfiesSyndrome(decoded, syndrome)) return new DecodeResult(true, iteration);
        }
        return new DecodeResult(false, MaxIterations);
    }

    private static bool SyndromeBit(ReadOnlySpan<ulong> syndrome, int check) => ((syndrome[check >> 6] >> (check & 63)) & 1) != 0;

    /// <summary>
    /// One layer: variable-to-check messages q = L - r (remove this check's old message), check-to-variable
    /// r' = (-1)^s 2 atanh(prod over the other edges of tanh(q/2)), then L = q + r'.
    /// </summary>
    private void UpdateCheck(int check, bool syndromeBit)
    {
        var start = Matrix.RowStart[check];
        var degree = Matrix.RowDegree(check);
        var columns = Matrix.RowColumns.Slice(start, degree);
        for (var i = 0; i < degree; i++)
        {
            _variableToCheck[i] = _posterior[columns[i]] - _checkToVariable[start + i];
            _tanhHalf[i] = Math.Tanh(0.5 * _variableToCheck[i]);
        }
        // Product over all other edges by prefix and suffix products: no division by a tanh near zero.
        _prefix[0] = syndromeBit ? -1.0 : 1.0;
        for (var i = 0; i < degree; i++) _prefix[i + 1] = _prefix[i] * _tanhHalf[i];
        var suffix = 1.0;
        for (var i = degree - 1; i >= 0; i--)
        {
            var product = Math.Clamp(_prefix[i] * suffix, -MaxTanh, MaxTanh);
            var message = 2.0 * Math.Atanh(product);
            _checkToVariable[start + i] = message;
            _posterior[columns[i]] = _variableToCheck[i] + message;
            suffix *= _tanhHalf[i];
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
