using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// One fixed code, frame = code length, as the hBN paper: Bob sends H y for each frame, Alice decodes with
/// her frame and the QBER. Leak = the syndrome length per frame, whatever the QBER; no blind rounds.
/// Runs the two-party <see cref="SyndromeProtocol"/> (single-process: over an in-memory channel pair).
/// </summary>
public sealed class FixedCodeReconciler : IReconciler
{
    /// <summary>Frames per decoder batch: single-frame decoders run one after the other inside a batch.</summary>
    private const int FramesPerBatch = 4;

    private readonly SyndromeProtocol _protocol;

    /// <param name="decoderFactory">Builds the decoders (e.g. layered SPA for the paper); each used by one thread at a time.</param>
    public FixedCodeReconciler(string name, SparseParityCheckMatrix code, Func<SparseParityCheckMatrix, ISyndromeDecoder> decoderFactory)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(decoderFactory);
        Name = name;
        Code = code;
        var mother = new MotherCode(code, 0);
        _protocol = new SyndromeProtocol([mother], _ => new PerFrameBatchDecoder(code, decoderFactory, FramesPerBatch),
            _ => new BlockPlan(0, 0, 1, 0));
    }

    public string Name { get; }

    /// <summary>Tests: the protocol behind this reconciler.</summary>
    internal SyndromeProtocol Protocol => _protocol;

    public SparseParityCheckMatrix Code { get; }

    public int FrameBits => Code.Columns;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) => _protocol.Reconcile(alice, bob, qber);

    public Task<ReconciliationResult> ReconcileAsAliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken = default) =>
        _protocol.AliceAsync(channel, alice, qber, cancellationToken);

    public Task<ReconciliationResult> ReconcileAsBobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken = default) =>
        _protocol.BobAsync(channel, bob, qber, cancellationToken);
}
