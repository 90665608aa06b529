using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Rate-adaptive blind reconciliation over a family of mother codes sharing one frame length.
/// <list type="number">
/// <item>Rate choice (Elkouss et al., ITW 2010): from the estimated QBER the target rate is
/// R = 1 - f0 h(Q); the mother code whose range holds R is used with the punctured/shortened split for R.</item>
/// <item>Blind rounds (J. Martinez-Mateo, D. Elkouss, V. Martin, "Blind reconciliation", QIC 12, 2012):
/// when a frame does not decode, Bob reveals a few more punctured bits (they become shortened) and Alice
/// continues decoding from where it stopped; once no punctured bit is left, frame bits are revealed the same
/// way (each one counted as leaked), up to <see cref="MaxRevealRounds"/> rounds.</item>
/// </list>
/// Leak per frame = m - (punctured bits never revealed) + (frame bits revealed).
/// </summary>
public sealed class RateAdaptiveReconciler : IReconciler
{
    private readonly MotherCode[] _codes;
    private readonly SyndromeProtocol _protocol;

    /// <param name="codes">Mother codes, all with the same frame length.</param>
    /// <param name="decoderFactory">Single-frame decoders to use instead of the default 32-frame AVX2 8-bit min-sum
    /// (<see cref="QuantizedMinSumBatchDecoder"/>; without AVX2 the float layered min-sum).</param>
    public RateAdaptiveReconciler(IReadOnlyList<MotherCode> codes, Func<SparseParityCheckMatrix, ISyndromeDecoder>? decoderFactory = null,
        string name = "adaptive")
    {
        if (codes.Count == 0) throw new ArgumentException("at least one mother code is needed", nameof(codes));
        if (codes.Any(c => c.FrameBits != codes[0].FrameBits))
            throw new ArgumentException("all mother codes must carry the same frame length", nameof(codes));
        _codes = codes.OrderBy(c => c.MaxRate).ToArray();
        Name = name;
        Func<int, IFrameBatchDecoder> batch = decoderFactory is null && QuantizedMinSumBatchDecoder.IsSupported
            ? i => new QuantizedMinSumBatchDecoder(_codes[i].Matrix, MaxIterations, DecoderOffset, DecoderScale)
            : i => new PerFrameBatchDecoder(_codes[i].Matrix, decoderFactory ?? (h => new LayeredMinSumDecoder(h)), 4);
        _protocol = new SyndromeProtocol(_codes, batch, Plan);
    }

    public string Name { get; }

    public int FrameBits => _codes[0].FrameBits;

    public IReadOnlyList<MotherCode> Codes => _codes;

    /// <summary>Efficiency aimed at by the first round (before any bit is revealed).</summary>
    public double StartEfficiency { get; set; } = 1.2;

    /// <summary>Bits revealed per blind round, as a fraction of n h(Q) (so each round adds this much to f).</summary>
    public double RevealStep { get; set; } = 0.03;

    /// <summary>Lowest QBER a block is planned for (code choice and blind-round step).</summary>
    public double MinimumPlanningQber { get; set; } = 0.01;

    /// <summary>Blind rounds after the first attempt before a frame is given up.</summary>
    public int MaxRevealRounds { get; set; } = 12;

    /// <summary>Iteration limit of the default decoder per attempt (a batch runs until all its frames decode or this).</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Offset of the default 8-bit min-sum decoder, in LLR units.</summary>
    public float DecoderOffset { get; init; } = 1f;

    /// <summary>Quantisation steps per LLR unit of the default decoder.</summary>
    public float DecoderScale { get; init; } = 2f;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) => _protocol.Reconcile(alice, bob, qber);

    public Task<ReconciliationResult> ReconcileAsAliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken = default) =>
        _protocol.AliceAsync(channel, alice, qber, cancellationToken);

    public Task<ReconciliationResult> ReconcileAsBobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken = default) =>
        _protocol.BobAsync(channel, bob, qber, cancellationToken);

    /// <summary>Bob's set-up of a block at this QBER: code, punctured bits, bits per blind round (RevealStep n h(Q)), rounds.</summary>
    private BlockPlan Plan(double qber)
    {
        // An estimate at or near 0 (a quiet link, a small sample) would aim past every code's rate and reveal
        // one bit per blind round; plan for a small floor instead, so the highest code starts at its usual
        // point and blind rounds still make progress.
        var planned = Math.Max(qber, MinimumPlanningQber);
        var (code, punctured) = ChooseCode(planned);
        var step = Math.Max(1, (int)Math.Ceiling(RevealStep * code.FrameBits * Entropy.Binary(planned)));
        return new BlockPlan(Array.IndexOf(_codes, code), punctured, step, MaxRevealRounds);
    }

    /// <summary>
    /// The mother code and initial punctured count used at this QBER: of the codes whose rate range holds the
    /// target rate, the one whose balanced point (half the modulation bits punctured, half shortened) is
    /// nearest. Measured (docs/benchmarks/reconciliation.md): a code pushed to its fully shortened end fails
    /// at finite length (the high-rate members are the weakest), one pushed to its fully punctured end loses
    /// threshold. Below every range: the lowest code fully shortened; above: the highest fully punctured.
    /// </summary>
    public (MotherCode Code, int Punctured) ChooseCode(double qber)
    {
        var rate = 1 - StartEfficiency * Entropy.Binary(qber);
        if (rate < _codes[0].MinRate) return (_codes[0], 0);
        MotherCode? best = null;
        var bestDistance = double.MaxValue;
        foreach (var code in _codes)
        {
            if (rate < code.MinRate || rate > code.MaxRate) continue;
            var distance = Math.Abs(rate - (code.MinRate + code.MaxRate) / 2);
            if (distance < bestDistance) (best, bestDistance) = (code, distance);
        }
        if (best is not null) return (best, best.PuncturedFor(rate));
        var top = _codes[^1];
        return (top, top.ModulationBits);
    }
}
