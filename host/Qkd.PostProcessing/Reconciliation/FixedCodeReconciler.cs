using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// One fixed code, frame = code length, as the hBN paper: Bob sends H y for each frame, Alice decodes with
/// her frame and the QBER. Leak = the syndrome length per frame, whatever the QBER.
/// </summary>
public sealed class FixedCodeReconciler : IReconciler
{
    private readonly FrameBlockDriver _driver;

    /// <param name="decoderFactory">Builds one decoder per worker thread (e.g. layered SPA for the paper).</param>
    public FixedCodeReconciler(string name, SparseParityCheckMatrix code, Func<SparseParityCheckMatrix, ISyndromeDecoder> decoderFactory)
    {
        Name = name;
        Code = code;
        _driver = new FrameBlockDriver(code.Columns, () => new Worker(decoderFactory(code)));
    }

    public string Name { get; }

    public SparseParityCheckMatrix Code { get; }

    public int FrameBits => Code.Columns;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) => _driver.Run(alice, bob, qber);

    private sealed class Worker(ISyndromeDecoder decoder) : IFrameWorker
    {
        private readonly ulong[] _syndrome = new ulong[SparseParityCheckMatrix.WordsFor(decoder.Matrix.Rows)];
        private readonly float[] _llr = new float[decoder.Matrix.Columns];

        public FrameOutcome Run(ReadOnlySpan<ulong> alice, ReadOnlySpan<ulong> bob, double qber, Span<ulong> corrected)
        {
            var code = decoder.Matrix;
            code.Syndrome(bob, _syndrome);
            ChannelLlr.FromBits(alice, 0, code.Columns, ChannelLlr.Magnitude(qber), _llr);
            var result = decoder.Decode(_llr, _syndrome, corrected);
            return new FrameOutcome(result.Converged, result.Iterations, code.Rows);
        }
    }
}
