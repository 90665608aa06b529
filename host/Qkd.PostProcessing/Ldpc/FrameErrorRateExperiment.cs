using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>Decoder of a frame-error-rate run.</summary>
public enum FerDecoder
{
    /// <summary><see cref="QuantizedMinSumBatchDecoder"/>: 8-bit offset min-sum, 32 frames per AVX2 vector (the reconciler's).</summary>
    Int8MinSum,

    /// <summary><see cref="LayeredMinSumDecoder"/> with its defaults (float).</summary>
    FloatMinSum,

    /// <summary><see cref="LayeredSumProductDecoder"/> (float), the reference.</summary>
    SumProduct,

    /// <summary>
    /// <see cref="QuasiCyclicMinSumDecoder"/> (the reconciler's long-frame decoder: 8-bit layered, one frame), with
    /// <see cref="FrameErrorRateExperiment.Int8Offset"/>, <see cref="FrameErrorRateExperiment.Int8Scale"/> and
    /// <see cref="FrameErrorRateExperiment.CheckUpdate"/>; needs <see cref="FrameErrorRateExperiment.QuasiCyclic"/>.
    /// </summary>
    QuasiCyclicInt8,

    /// <summary>
    /// <see cref="QuasiCyclicSumProductDecoder"/> (the reconciler's precise long-frame decoder at low QBER: float layered
    /// sum-product, one frame, Z = 32); needs <see cref="FrameErrorRateExperiment.QuasiCyclic"/>.
    /// </summary>
    QuasiCyclicSumProduct,
}

/// <summary>What one frame-error-rate run measured.</summary>
/// <param name="Frames">Frames decoded.</param>
/// <param name="FramesFailed">Frames whose decoded word is not Bob's: not converged, or converged to another word.</param>
/// <param name="Undetected">Of the failed, those that satisfied the syndrome with a wrong word.</param>
/// <param name="MeanIterations">Mean decoder iterations per frame.</param>
/// <param name="Efficiency">f = (m - p) / ((n - p - s) h(Q)): syndrome bits less punctured, per payload bit and h(Q).</param>
public sealed record FrameErrorRateResult(int Frames, int FramesFailed, int Undetected, double MeanIterations, double Efficiency)
{
    public double FrameErrorRate => FramesFailed / (double)Frames;
}

/// <summary>
/// Monte-Carlo frame error rate of a code under syndrome decoding on a binary symmetric channel, with the
/// 8-bit 32-lane min-sum decoder (<see cref="QuantizedMinSumBatchDecoder"/>). Per frame: Bob's word y is
/// uniform, Alice's x = y xor e with e i.i.d. Bernoulli(Q); Alice decodes from LLRs of x and Bob's syndrome
/// H y. Punctured columns carry LLR 0 (Alice knows nothing of them), shortened ones are known to both.
/// Which columns are punctured or shortened is drawn once from the seed (uniformly, distinct). Every frame's
/// randomness comes from (seed, frame index), so the result does not depend on the thread count.
/// </summary>
public sealed class FrameErrorRateExperiment
{
    private readonly SparseParityCheckMatrix _matrix;
    private readonly int[] _punctured;
    private readonly int[] _shortened;

    public FrameErrorRateExperiment(SparseParityCheckMatrix matrix, int punctured, int shortened, ulong seed)
    {
        if (punctured < 0 || shortened < 0 || punctured + shortened >= matrix.Columns - matrix.Rows)
            throw new ArgumentException($"punctured + shortened must be non-negative and below n - m = {matrix.Columns - matrix.Rows}");
        _matrix = matrix;
        var columns = Enumerable.Range(0, matrix.Columns).ToArray();
        var random = new SplitMix(seed ^ 0x5851F42D4C957F2DUL);
        for (var i = 0; i < punctured + shortened; i++)
        {
            var k = i + (int)(random.Next() % (ulong)(columns.Length - i));
            (columns[i], columns[k]) = (columns[k], columns[i]);
        }
        _punctured = columns[..punctured];
        _shortened = columns[punctured..(punctured + shortened)];
        Seed = seed;
    }

    public ulong Seed { get; }

    public int MaxIterations { get; init; } = 50;

    public FerDecoder Decoder { get; init; } = FerDecoder.Int8MinSum;

    /// <summary>Offset (LLR units) of the 8-bit decoder; its constructor's default is the reconciler's setting.</summary>
    public float Int8Offset { get; init; } = 1f;

    /// <summary>Quantisation steps per LLR unit of the 8-bit decoder.</summary>
    public float Int8Scale { get; init; } = 2f;

    /// <summary>The quasi-cyclic form of the matrix, needed by <see cref="FerDecoder.QuasiCyclicInt8"/>.</summary>
    public QuasiCyclicCode? QuasiCyclic { get; init; }

    /// <summary>Check-node rule of <see cref="FerDecoder.QuasiCyclicInt8"/>.</summary>
    public CheckUpdate CheckUpdate { get; init; } = CheckUpdate.OffsetMinSum;

    /// <summary>Threads decoding batches of 32 frames (each holds its own decoder).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public FrameErrorRateResult Run(double qber, int frames)
    {
        if (!(qber > 0 && qber < 0.5)) throw new ArgumentOutOfRangeException(nameof(qber), "QBER must be in (0, 0.5)");
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), "at least one frame");
        const int lanes = QuantizedMinSumBatchDecoder.LaneCount;
        var batches = (frames + lanes - 1) / lanes;
        var failed = 0;
        var undetected = 0;
        long iterations = 0;
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            () => new BatchState(this),
            (batch, _, state) =>
            {
                DecodeBatch(state, qber, batch * lanes, Math.Min(lanes, frames - batch * lanes));
                return state;
            },
            state =>
            {
                Interlocked.Add(ref failed, state.Failed);
                Interlocked.Add(ref undetected, state.Undetected);
                Interlocked.Add(ref iterations, state.Iterations);
            });
        var n = _matrix.Columns;
        var efficiency = (_matrix.Rows - _punctured.Length) / ((double)(n - _punctured.Length - _shortened.Length) * Entropy.Binary(qber));
        return new FrameErrorRateResult(frames, failed, undetected, iterations / (double)frames, efficiency);
    }

    private void DecodeBatch(BatchState state, double qber, int firstFrame, int count)
    {
        var n = _matrix.Columns;
        var magnitude = ChannelLlr.Magnitude(qber);
        // Bernoulli(Q) by comparing 53-bit uniforms with a threshold.
        var threshold = (ulong)(qber * (1UL << 53));
        uint mask = 0;
        for (var lane = 0; lane < count; lane++)
        {
            var random = new SplitMix(Seed * 0x9E3779B97F4A7C15UL + (ulong)(firstFrame + lane) + 1);
            var word = state.Words[lane];
            for (var w = 0; w < word.Length; w++) word[w] = random.Next();
            if ((n & 63) != 0) word[^1] &= (1UL << (n & 63)) - 1;
            for (var c = 0; c < n; c++)
            {
                var bit = (word[c >> 6] >> (c & 63)) & 1;
                var flipped = (random.Next() >> 11) < threshold ? bit ^ 1 : bit;
                state.Llr[c] = flipped == 0 ? magnitude : -magnitude;
            }
            foreach (var c in _punctured) state.Llr[c] = 0f;
            foreach (var c in _shortened) state.Llr[c] = ((word[c >> 6] >> (c & 63)) & 1) == 0 ? ChannelLlr.Known : -ChannelLlr.Known;
            _matrix.Syndrome(word, state.Syndrome);
            if (state.QuasiCyclic is { } qc)
            {
                qc.Load(0, state.Llr, state.Syndrome);
                var ok = qc.Run(1) == 1;
                if (ok) qc.CopyDecoded(0, state.Decoded);
                Score(state, ok, qc.Iterations(0), word);
                continue;
            }
            if (state.Batch is { } batch)
            {
                batch.Load(lane, state.Llr, state.Syndrome);
                mask |= 1u << lane;
                continue;
            }
            var result = state.Single!.Decode(state.Llr, state.Syndrome, state.Decoded);
            Score(state, result.Converged, result.Iterations, word);
        }
        if (state.Batch is not { } decoder) return;
        var converged = decoder.Run(mask);
        for (var lane = 0; lane < count; lane++)
        {
            var ok = (converged & (1u << lane)) != 0;
            if (ok) decoder.CopyDecoded(lane, state.Decoded);
            Score(state, ok, decoder.Iterations(lane), state.Words[lane]);
        }
    }

    /// <summary>A frame fails unless the decoder converged to Bob's word; converging to another word is undetected.</summary>
    private static void Score(BatchState state, bool converged, int iterations, ulong[] word)
    {
        state.Iterations += iterations;
        if (converged && state.Decoded.AsSpan().SequenceEqual(word)) return;
        state.Failed++;
        if (converged) state.Undetected++;
    }

    private sealed class BatchState
    {
        public BatchState(FrameErrorRateExperiment experiment)
        {
            var matrix = experiment._matrix;
            var maxIterations = experiment.MaxIterations;
            switch (experiment.Decoder)
            {
                case FerDecoder.Int8MinSum:
                    Batch = new QuantizedMinSumBatchDecoder(matrix, maxIterations, experiment.Int8Offset, experiment.Int8Scale);
                    break;
                case FerDecoder.QuasiCyclicInt8:
                    QuasiCyclic = new QuasiCyclicMinSumDecoder(
                        experiment.QuasiCyclic ?? throw new InvalidOperationException("the quasi-cyclic decoder needs the QuasiCyclic code"),
                        matrix, maxIterations, experiment.Int8Offset, experiment.Int8Scale, checkUpdate: experiment.CheckUpdate);
                    break;
                case FerDecoder.QuasiCyclicSumProduct:
                    QuasiCyclic = new QuasiCyclicSumProductDecoder(
                        experiment.QuasiCyclic ?? throw new InvalidOperationException("the quasi-cyclic decoder needs the QuasiCyclic code"),
                        matrix, maxIterations);
                    break;
                case FerDecoder.FloatMinSum: Single = new LayeredMinSumDecoder(matrix, maxIterations); break;
                default: Single = new LayeredSumProductDecoder(matrix, maxIterations); break;
            }
            var words = SparseParityCheckMatrix.WordsFor(matrix.Columns);
            Words = new ulong[QuantizedMinSumBatchDecoder.LaneCount][];
            for (var lane = 0; lane < Words.Length; lane++) Words[lane] = new ulong[words];
            Decoded = new ulong[words];
            Llr = new float[matrix.Columns];
            Syndrome = new ulong[SparseParityCheckMatrix.WordsFor(matrix.Rows)];
        }

        public QuantizedMinSumBatchDecoder? Batch { get; }
        public ISyndromeDecoder? Single { get; }
        public IFrameBatchDecoder? QuasiCyclic { get; }
        public ulong[][] Words { get; }
        public ulong[] Decoded { get; }
        public float[] Llr { get; }
        public ulong[] Syndrome { get; }
        public int Failed;
        public int Undetected;
        public long Iterations;
    }

    /// <summary>SplitMix64: a fixed generator, so a seed gives the same frames on every runtime.</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
