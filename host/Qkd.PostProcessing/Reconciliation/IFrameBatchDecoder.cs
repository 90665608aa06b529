using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Alice's decoder for up to <see cref="Lanes"/> frames of one code at once (a SIMD decoder interleaves them;
/// the adapter runs single-frame decoders one after the other). State is kept between <see cref="Run"/> calls
/// so a blind round resumes where the last one stopped. One instance is used by one thread at a time and
/// allocates nothing after construction.
/// </summary>
internal interface IFrameBatchDecoder
{
    SparseParityCheckMatrix Matrix { get; }

    /// <summary>Frames decoded together (at most 32).</summary>
    int Lanes { get; }

    /// <summary>Starts a new frame in <paramref name="lane"/>: channel LLRs (log P0/P1) of all columns and Bob's syndrome.</summary>
    void Load(int lane, ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome);

    /// <summary>Bob disclosed the values of <paramref name="columns"/>: bit i of <paramref name="values"/> is column i's value.</summary>
    void Reveal(int lane, ReadOnlySpan<int> columns, ReadOnlySpan<ulong> values);

    /// <summary>
    /// Decodes (first call after Load) or resumes (after Reveal) the lanes in <paramref name="laneMask"/>.
    /// Returns the mask of those lanes whose hard decision now satisfies their syndrome.
    /// </summary>
    uint Run(uint laneMask);

    /// <summary>Iterations the last <see cref="Run"/> spent on <paramref name="lane"/>.</summary>
    int Iterations(int lane);

    /// <summary>The lane's hard decision (Columns packed bits): the word matching the syndrome when converged.</summary>
    void CopyDecoded(int lane, Span<ulong> codeword);

    /// <summary>
    /// Clears every value derived from a frame (channel, posteriors, messages, decoded words): Alice's key and the
    /// corrected one must not wait in a pooled decoder for the next block. The next <see cref="Load"/> starts afresh.
    /// </summary>
    void Wipe();
}

/// <summary>Runs one single-frame <see cref="ISyndromeDecoder"/> per lane (the paper's float sum-product, tests).</summary>
internal sealed class PerFrameBatchDecoder : IFrameBatchDecoder
{
    private readonly ISyndromeDecoder[] _decoders;
    private readonly float[][] _llr;
    private readonly ulong[][] _syndrome;
    private readonly ulong[][] _decoded;
    private readonly int[][] _changed;
    private readonly int[] _changedCount;
    private readonly bool[] _fresh;
    private readonly int[] _iterations;

    public PerFrameBatchDecoder(SparseParityCheckMatrix matrix, Func<SparseParityCheckMatrix, ISyndromeDecoder> factory, int lanes)
    {
        Matrix = matrix;
        Lanes = lanes;
        _decoders = new ISyndromeDecoder[lanes];
        _llr = new float[lanes][];
        _syndrome = new ulong[lanes][];
        _decoded = new ulong[lanes][];
        _changed = new int[lanes][];
        for (var lane = 0; lane < lanes; lane++)
        {
            _decoders[lane] = factory(matrix);
            _llr[lane] = new float[matrix.Columns];
            _syndrome[lane] = new ulong[SparseParityCheckMatrix.WordsFor(matrix.Rows)];
            _decoded[lane] = new ulong[SparseParityCheckMatrix.WordsFor(matrix.Columns)];
            _changed[lane] = new int[matrix.Columns];
        }
        _changedCount = new int[lanes];
        _fresh = new bool[lanes];
        _iterations = new int[lanes];
    }

    public SparseParityCheckMatrix Matrix { get; }

    public int Lanes { get; }

    /// <summary>Clears the adapter's copies (LLRs, syndromes, decoded words) and each single-frame decoder's own state.</summary>
    public void Wipe()
    {
        for (var lane = 0; lane < Lanes; lane++)
        {
            _decoders[lane].Wipe();
            Array.Clear(_syndrome[lane]);
            Array.Clear(_llr[lane]);
            Array.Clear(_decoded[lane]);
            Array.Clear(_changed[lane]);
            _changedCount[lane] = 0;
        }
    }

    public void Load(int lane, ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome)
    {
        channelLlr[..Matrix.Columns].CopyTo(_llr[lane]);
        syndrome[.._syndrome[lane].Length].CopyTo(_syndrome[lane]);
        _fresh[lane] = true;
        _changedCount[lane] = 0;
    }

    public void Reveal(int lane, ReadOnlySpan<int> columns, ReadOnlySpan<ulong> values)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var bit = (values[i >> 6] >> (i & 63)) & 1;
            _llr[lane][columns[i]] = bit == 0 ? ChannelLlr.Known : -ChannelLlr.Known;
            _changed[lane][_changedCount[lane]++] = columns[i];
        }
    }

    public uint Run(uint laneMask)
    {
        uint converged = 0;
        for (var lane = 0; lane < Lanes; lane++)
        {
            if ((laneMask & (1u << lane)) == 0) continue;
            var result = _fresh[lane]
                ? _decoders[lane].Decode(_llr[lane], _syndrome[lane], _decoded[lane])
                : _decoders[lane].Continue(_llr[lane], _changed[lane].AsSpan(0, _changedCount[lane]), _syndrome[lane], _decoded[lane]);
            _fresh[lane] = false;
            _changedCount[lane] = 0;
            _iterations[lane] = result.Iterations;
            if (result.Converged) converged |= 1u << lane;
        }
        return converged;
    }

    public int Iterations(int lane) => _iterations[lane];

    public void CopyDecoded(int lane, Span<ulong> codeword) => _decoded[lane].CopyTo(codeword);
}
