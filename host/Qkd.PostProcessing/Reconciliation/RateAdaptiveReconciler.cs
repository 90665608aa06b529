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
/// <para>
/// Mixed frame lengths (optional second family of long quasi-cyclic codes, n = 10^5): the bulk of a block is cut
/// into long frames (efficiency grows with length), the remainder shorter than a long frame into short frames of
/// the first family, so no bit that short frames alone would reconcile is dropped. The two parts run one after
/// the other over the same channel, each with its own syndromes message naming its family
/// (<see cref="ReconciliationMessages"/>); results are joined, long frames first.
/// </para>
/// </summary>
public sealed class RateAdaptiveReconciler : IReconciler
{
    private readonly MotherCode[] _codes;
    private readonly MotherCode[]? _longCodes;
    private readonly SyndromeProtocol _protocol;
    private readonly SyndromeProtocol? _longProtocol;
    /// <summary>The long family with <see cref="QuasiCyclicSumProductDecoder"/> (blocks at or below <see cref="PreciseDecoderMaxQber"/>).</summary>
    private readonly SyndromeProtocol? _preciseLongProtocol;
    private readonly bool _defaultDecoders;

    /// <param name="codes">Mother codes, all with the same frame length (the short family).</param>
    /// <param name="decoderFactory">Single-frame decoders to use instead of the defaults: the 32-frame AVX2 8-bit min-sum
    /// (<see cref="QuantizedMinSumBatchDecoder"/>; without AVX2 the float layered min-sum) for the short family, the
    /// one-frame <see cref="QuasiCyclicMinSumDecoder"/> for quasi-cyclic codes.</param>
    /// <param name="longCodes">Optional family of long codes (all one frame length, longer than the short one) used for
    /// the bulk of each block.</param>
    public RateAdaptiveReconciler(IReadOnlyList<MotherCode> codes, Func<SparseParityCheckMatrix, ISyndromeDecoder>? decoderFactory = null,
        string name = "adaptive", IReadOnlyList<MotherCode>? longCodes = null)
    {
        _codes = Family(codes, nameof(codes));
        Name = name;
        _defaultDecoders = decoderFactory is null;
        _protocol = new SyndromeProtocol(_codes, i => CreateDecoder(_codes[i], decoderFactory), qber => Plan(_codes, qber, false),
            ReconciliationMessages.ShortFamily);
        if (longCodes is null) return;
        _longCodes = Family(longCodes, nameof(longCodes));
        if (_longCodes[0].FrameBits <= _codes[0].FrameBits)
            throw new ArgumentException("the long family's frames must be longer than the short family's", nameof(longCodes));
        _longProtocol = new SyndromeProtocol(_longCodes, i => WithLongExtension(CreateDecoder(_longCodes[i], decoderFactory)),
            qber => Plan(_longCodes, qber, true), ReconciliationMessages.LongFamily);
        if (_defaultDecoders && _longCodes.All(c => c.QuasiCyclic is { } qc && QuasiCyclicSumProductDecoder.Supports(qc)))
            _preciseLongProtocol = new SyndromeProtocol(_longCodes, i => CreatePreciseDecoder(_longCodes[i]), qber => Plan(_longCodes, qber, true),
                ReconciliationMessages.LongPreciseFamily);
    }

    /// <summary>Long frames' first attempts go on while still converging (<see cref="LongExtraIterations"/>).</summary>
    private IFrameBatchDecoder WithLongExtension(IFrameBatchDecoder decoder)
    {
        if (decoder is QuasiCyclicMinSumDecoder quasiCyclic)
        {
            quasiCyclic.ExtraIterations = LongExtraIterations;
            quasiCyclic.ExtendBelow = LongExtendBelow;
        }
        return decoder;
    }

    /// <summary>Tests: the long-family protocols (min-sum, and sum-product when the default decoders are used).</summary>
    internal (SyndromeProtocol? MinSum, SyndromeProtocol? Precise) LongProtocols => (_longProtocol, _preciseLongProtocol);

    private QuasiCyclicSumProductDecoder CreatePreciseDecoder(MotherCode code) =>
        new(code.QuasiCyclic!, code.Matrix, PreciseMaxIterations) { ResumeIterations = PreciseResumeIterations };

    private static MotherCode[] Family(IReadOnlyList<MotherCode> codes, string parameter)
    {
        if (codes.Count == 0) throw new ArgumentException("at least one mother code is needed", parameter);
        if (codes.Any(c => c.FrameBits != codes[0].FrameBits))
            throw new ArgumentException("all mother codes of a family must carry the same frame length", parameter);
        return codes.OrderBy(c => c.MaxRate).ToArray();
    }

    private IFrameBatchDecoder CreateDecoder(MotherCode code, Func<SparseParityCheckMatrix, ISyndromeDecoder>? factory)
    {
        if (factory is null && code.QuasiCyclic is not null)
            return new QuasiCyclicMinSumDecoder(code.QuasiCyclic, code.Matrix, LongMaxIterations, LongDecoderOffset, DecoderScale,
                checkUpdate: LongCheckUpdate)
            {
                ResumeIterations = LongResumeIterations,
            };
        if (factory is null && QuantizedMinSumBatchDecoder.IsSupported)
            return new QuantizedMinSumBatchDecoder(code.Matrix, MaxIterations, DecoderOffset, DecoderScale);
        return new PerFrameBatchDecoder(code.Matrix, factory ?? (h => new LayeredMinSumDecoder(h)), 4);
    }

    public string Name { get; }

    /// <summary>Short frames' payload bits: a block's tail shorter than this is left unreconciled.</summary>
    public int FrameBits => _codes[0].FrameBits;

    /// <summary>Long frames' payload bits, or 0 without a long family.</summary>
    public int LongFrameBits => _longCodes?[0].FrameBits ?? 0;

    /// <summary>The short family.</summary>
    public IReadOnlyList<MotherCode> Codes => _codes;

    /// <summary>The long family (empty without one).</summary>
    public IReadOnlyList<MotherCode> LongCodes => _longCodes ?? [];

    /// <summary>Efficiency aimed at by the first round (before any bit is revealed), short family.</summary>
    public double StartEfficiency { get; set; } = 1.2;

    /// <summary>Bits revealed per blind round, as a fraction of n h(Q) (so each round adds this much to f), short family.</summary>
    public double RevealStep { get; set; } = 0.03;

    /// <summary>
    /// Long family: (QBER, start efficiency, reveal step) points, interpolated linearly in QBER and held constant
    /// beyond the ends. From 5 % each start sits just below the efficiency at which the 8-bit self-corrected min-sum decodes
    /// the long codes' frames in a first attempt (measured, docs/benchmarks/reconciliation.md): lower starts only add failed
    /// first attempts and blind rounds (CPU) without lowering f, higher ones waste leak. At 1-4 % the starts are lower and the
    /// step is 0.005: most frames then take a few small blind rounds and f approaches the mean per-frame threshold (0.01-0.04
    /// lower f than starts 0.02-0.06 higher with step 0.02, for up to 2-3 times the decoding CPU; "High-rate codes" in
    /// docs/benchmarks/reconciliation.md).
    /// </summary>
    public IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> LongSchedule { get; set; } = DefaultLongSchedule;

    /// <summary>
    /// Highest planned QBER at which long frames are decoded by <see cref="QuasiCyclicSumProductDecoder"/> (float
    /// sum-product) instead of the 8-bit min-sum, with <see cref="PreciseLongSchedule"/>: at 1-2 % the long codes are
    /// the rate-0.85 one punctured or nearly fully shortened, check degree about 32, where sum-product reaches a frame error
    /// rate of 1/2 at an f 0.08 (1 %) and 0.035 (2 %) lower (docs/benchmarks/reconciliation.md, "Precise decoder at low
    /// QBER"); it costs about 16 times the CPU per iteration, which only blocks without a speed target can afford.
    /// Negative: never. Used only with the default decoders and a long family of Z = 32 codes.
    /// </summary>
    public double PreciseDecoderMaxQber { get; init; } = 0.025;

    /// <summary>
    /// <see cref="LongSchedule"/> of the blocks decoded by the precise decoder (planned QBER at or below
    /// <see cref="PreciseDecoderMaxQber"/>): starts just below its per-frame thresholds, small blind steps.
    /// </summary>
    public IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> PreciseLongSchedule { get; set; } = DefaultPreciseLongSchedule;

    /// <summary>The default <see cref="PreciseLongSchedule"/>.</summary>
    public static IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> DefaultPreciseLongSchedule { get; } =
    [
        (0.01, 1.10, 0.005),
        (0.02, 1.12, 0.005),
        (0.025, 1.13, 0.005),
    ];

    /// <summary>Iteration limit of the precise decoder's first attempt on a long frame.</summary>
    public int PreciseMaxIterations { get; init; } = 60;

    /// <summary>Iteration limit of the precise decoder after each blind round.</summary>
    public int PreciseResumeIterations { get; init; } = 20;

    /// <summary>True when a block at this QBER has its long frames decoded by <see cref="QuasiCyclicSumProductDecoder"/>.</summary>
    public bool UsesPreciseLongDecoder(double qber) =>
        _preciseLongProtocol is not null && Math.Max(qber, MinimumPlanningQber) <= PreciseDecoderMaxQber;

    /// <summary>The default <see cref="LongSchedule"/> ("adaptive").</summary>
    public static IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> DefaultLongSchedule { get; } =
    [
        (0.01, 1.18, 0.005),
        (0.02, 1.16, 0.005),
        (0.03, 1.13, 0.005),
        (0.04, 1.13, 0.005),
        (0.05, 1.14, 0.02),
        (0.06, 1.14, 0.02),
        (0.07, 1.12, 0.02),
        (0.08, 1.11, 0.02),
    ];

    /// <summary>
    /// A <see cref="LongSchedule"/> for speed ("adaptive-fast"): starts at the efficiency where first attempts
    /// nearly always decode, so frames take about 20-30 iterations and rarely a blind round, at the price of a
    /// few per cent of f (docs/benchmarks/reconciliation.md).
    /// </summary>
    public static IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> FastLongSchedule { get; } =
    [
        (0.01, 1.36, 0.02),
        (0.02, 1.30, 0.02),
        (0.03, 1.26, 0.02),
        (0.04, 1.24, 0.02),
        (0.07, 1.24, 0.02),
        (0.08, 1.21, 0.02),
    ];

    /// <summary>Lowest QBER a block is planned for (code choice and blind-round step).</summary>
    public double MinimumPlanningQber { get; set; } = 0.01;

    /// <summary>Blind rounds after the first attempt before a frame is given up (short family).</summary>
    public int MaxRevealRounds { get; set; } = 12;

    /// <summary>Blind rounds after the first attempt before a long frame is given up (60 steps of 0.005 = f 0.3 above the start).</summary>
    public int LongMaxRevealRounds { get; set; } = 60;

    /// <summary>Iteration limit of the default decoder per attempt (a batch runs until all its frames decode or this).</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Iteration limit of the quasi-cyclic decoder's first attempt on a long frame.</summary>
    public int LongMaxIterations { get; init; } = 60;

    /// <summary>
    /// Iterations a long frame's first attempt may run past <see cref="LongMaxIterations"/> while still converging (at most
    /// <see cref="LongExtendBelow"/> of its checks unsatisfied and the count still falling; <see cref="QuasiCyclicMinSumDecoder.ExtraIterations"/>).
    /// Frames failing at 60 iterations were nearly all still converging steadily (tens to a few hundred unsatisfied checks of
    /// 35 000-45 000, falling every iteration): with 20 more such iterations 7-8 % QBER need about half the blind rounds for the
    /// same decoding CPU (docs/benchmarks/pipeline.md, "Fewer blind rounds").
    /// </summary>
    public int LongExtraIterations { get; init; } = 20;

    /// <summary>Largest fraction of unsatisfied checks at which a long first attempt is extended (<see cref="LongExtraIterations"/>).</summary>
    public double LongExtendBelow { get; init; } = 0.04;

    /// <summary>Iteration limit of the quasi-cyclic decoder after each blind round.</summary>
    public int LongResumeIterations { get; init; } = 20;

    /// <summary>Offset of the default 8-bit min-sum decoders, in LLR units.</summary>
    public float DecoderOffset { get; init; } = 1f;

    /// <summary>
    /// Offset of the quasi-cyclic decoder, in LLR units. Measured on codes/qc/rate-0.7.qc at 4 % (f 1.24):
    /// offset 1.0 decoded 0 of 3 frames in 80 iterations, 0.5 all 3 (the long codes' check degrees reach 50,
    /// where a large offset wipes out the small minima).
    /// </summary>
    public float LongDecoderOffset { get; init; } = 0.5f;

    /// <summary>
    /// Check-node rule of the quasi-cyclic decoder: self-corrected min-sum (erase a message whose sign flipped) decodes
    /// the rate-0.6/0.65/0.7 long codes at f 0.04-0.08 lower than plain offset min-sum (codes/qc/README.md).
    /// </summary>
    public CheckUpdate LongCheckUpdate { get; init; } = CheckUpdate.SelfCorrected;

    /// <summary>Quantisation steps per LLR unit of the default decoders.</summary>
    public float DecoderScale { get; init; } = 2f;

    /// <summary>Bits of an <paramref name="inputBits"/> block that go to long frames (a whole number of them).</summary>
    public int LongPart(int inputBits) => LongFrameBits == 0 ? 0 : inputBits / LongFrameBits * LongFrameBits;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) => _longProtocol is null
        ? _protocol.Reconcile(alice, bob, qber)
        : SyndromeProtocol.RunBothHalves(alice, bob, qber, (channel, b) => ReconcileAsBobAsync(channel, b, qber),
            (channel, a) => ReconcileAsAliceAsync(channel, a, qber));

    public Task<ReconciliationResult> ReconcileAsAliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken = default) =>
        BothParts(alice, (protocol, part) => protocol.AliceAsync(channel, part, qber, cancellationToken), qber);

    public Task<ReconciliationResult> ReconcileAsBobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken = default) =>
        BothParts(bob, (protocol, part) => protocol.BobAsync(channel, part, qber, cancellationToken), qber);

    /// <summary>Long frames (when the block holds any) then short frames of the rest, joined into one result.</summary>
    private async Task<ReconciliationResult> BothParts(BitVector input, Func<SyndromeProtocol, BitVector, Task<ReconciliationResult>> run, double qber)
    {
        ArgumentNullException.ThrowIfNull(input);
        var longBits = LongPart(input.Length);
        if (longBits == 0) return await run(_protocol, input).ConfigureAwait(false);
        SyndromeProtocol.CheckQber(qber);
        // A block of whole long frames (the usual case) is read in place: both halves only read their input.
        var longInput = longBits == input.Length ? input : input.Slice(0, longBits);
        var first = await run(UsesPreciseLongDecoder(qber) ? _preciseLongProtocol! : _longProtocol!, longInput).ConfigureAwait(false);
        var rest = input.Length - longBits;
        // Fewer bits than one short frame: both sides (equal lengths) skip the short part and its four messages.
        var second = rest < FrameBits ? NoFrames(rest) : await run(_protocol, input.Slice(longBits, rest)).ConfigureAwait(false);
        return Join(first, second, qber);
    }

    private ReconciliationResult NoFrames(int unusedBits) => new()
    {
        Reconciled = new BitVector(0), FrameOk = [], FrameBits = FrameBits, FrameLengths = [], LeakBits = 0, ConfirmationBits = 0,
        UnusedBits = unusedBits, MeanIterations = 0, HashMismatches = 0, Efficiency = double.NaN,
    };

    private static ReconciliationResult Join(ReconciliationResult first, ReconciliationResult second, double qber)
    {
        var frames = first.FrameOk.Length + second.FrameOk.Length;
        // No short part: the long part's bits are the result (first is not used elsewhere), no copy.
        var reconciled = second.Reconciled.Length == 0 ? first.Reconciled : new BitVector(first.Reconciled.Length + second.Reconciled.Length);
        if (second.Reconciled.Length != 0)
        {
            first.Reconciled.CopyTo(0, reconciled, 0, first.Reconciled.Length);
            second.Reconciled.CopyTo(0, reconciled, first.Reconciled.Length, second.Reconciled.Length);
        }
        var lengths = Enumerable.Range(0, first.FrameOk.Length).Select(first.FrameLength)
            .Concat(Enumerable.Range(0, second.FrameOk.Length).Select(second.FrameLength)).ToArray();
        var leak = first.LeakBits + second.LeakBits;
        var framed = first.FramedBits + second.FramedBits;
        return new ReconciliationResult
        {
            Reconciled = reconciled,
            FrameOk = [.. first.FrameOk, .. second.FrameOk],
            FrameBits = Math.Max(first.FrameBits, second.FrameBits),
            FrameLengths = lengths,
            LeakBits = leak,
            ConfirmationBits = first.ConfirmationBits + second.ConfirmationBits,
            UnusedBits = first.UnusedBits + second.UnusedBits,
            MeanIterations = frames == 0 ? 0 : (first.MeanIterations * first.FrameOk.Length + second.MeanIterations * second.FrameOk.Length) / frames,
            HashMismatches = first.HashMismatches + second.HashMismatches,
            Efficiency = framed == 0 ? double.NaN : leak / (framed * Entropy.Binary(qber)),
        };
    }

    /// <summary>Bob's set-up of a block at this QBER: code, punctured bits, bits per blind round (step n h(Q)), rounds.</summary>
    private BlockPlan Plan(MotherCode[] codes, double qber, bool longFamily)
    {
        // An estimate at or near 0 (a quiet link, a small sample) would aim past every code's rate and reveal
        // one bit per blind round; plan for a small floor instead, so the highest code starts at its usual
        // point and blind rounds still make progress.
        var planned = Math.Max(qber, MinimumPlanningQber);
        var (startEfficiency, revealStep) = longFamily ? LongScheduleAt(planned) : (StartEfficiency, RevealStep);
        var (code, punctured) = longFamily ? ChooseLongCodeAt(codes, planned, startEfficiency) : ChooseCode(codes, planned, startEfficiency);
        var step = Math.Max(1, (int)Math.Ceiling(revealStep * code.FrameBits * Entropy.Binary(planned)));
        return new BlockPlan(Array.IndexOf(codes, code), punctured, step, longFamily ? LongMaxRevealRounds : MaxRevealRounds);
    }

    /// <summary>The long code and initial punctured count Bob plans for at this QBER (start efficiency from <see cref="LongSchedule"/>).</summary>
    public (MotherCode Code, int Punctured) LongCodeAt(double qber)
    {
        if (_longCodes is null) throw new InvalidOperationException("this reconciler has no long code family");
        var planned = Math.Max(qber, MinimumPlanningQber);
        return ChooseLongCodeAt(_longCodes, planned, LongScheduleAt(planned).StartEfficiency);
    }

    /// <summary>
    /// Below this planned QBER the precise decoder prefers the codes up to rate <see cref="PrecisePuncturedLongCodeMaxRate"/>
    /// (at 1.25-1.75 % the rate-0.8 code 62-87 % punctured instead of the rate-0.85 one 21-46 % punctured) when one of them
    /// holds the rate with at most <see cref="PrecisePuncturedMaxShare"/> of its modulation bits punctured; otherwise, from
    /// this QBER on, and with the min-sum, codes up to <see cref="StrongLongCodeMaxRate"/>.
    /// </summary>
    public double PrecisePuncturedLongCodeBelowQber { get; init; } = 0.019;

    /// <summary>
    /// Highest design rate the precise decoder prefers below <see cref="PrecisePuncturedLongCodeBelowQber"/>. Measured on 40
    /// long frames (docs/benchmarks/reconciliation.md, "Precise decoder at low QBER"): at 1.25 / 1.5 / 1.75 % the rate-0.8
    /// code punctured reached f 1.115 / 1.130 / 1.123 against 1.132 / 1.162 / 1.147 for the rate-0.85 one; at 2 % the
    /// rate-0.85 code nearly fully shortened stays better (1.134 against 1.142). At 1 % only the rate-0.85 code holds the rate.
    /// </summary>
    public const double PrecisePuncturedLongCodeMaxRate = 0.81;

    /// <summary>
    /// Largest punctured share of the modulation bits for that preference: at 1 % the rate-0.8 code would be nearly fully
    /// punctured (about 99 %) and reached f 1.141 against 1.106 for the rate-0.85 one (4*10^6 bits); at 1.25 % 87 % was good.
    /// </summary>
    public const double PrecisePuncturedMaxShare = 0.9;

    private (MotherCode Code, int Punctured) ChooseLongCodeAt(MotherCode[] codes, double plannedQber, double startEfficiency)
    {
        if (UsesPreciseLongDecoder(plannedQber) && plannedQber < PrecisePuncturedLongCodeBelowQber)
        {
            var (code, punctured) = ChooseLongCode(codes, plannedQber, startEfficiency, PrecisePuncturedLongCodeMaxRate);
            if (code.Matrix.DesignRate <= PrecisePuncturedLongCodeMaxRate && punctured <= PrecisePuncturedMaxShare * code.ModulationBits)
                return (code, punctured);
        }
        return ChooseLongCode(codes, plannedQber, startEfficiency);
    }

    /// <summary>
    /// Start efficiency and reveal step of the long family at this QBER (<see cref="PreciseLongSchedule"/> where
    /// <see cref="UsesPreciseLongDecoder"/>, else <see cref="LongSchedule"/>; interpolated).
    /// </summary>
    public (double StartEfficiency, double RevealStep) LongScheduleAt(double qber) =>
        Interpolate(UsesPreciseLongDecoder(qber) ? PreciseLongSchedule : LongSchedule, qber);

    private static (double StartEfficiency, double RevealStep) Interpolate(IReadOnlyList<(double Qber, double StartEfficiency, double RevealStep)> points, double qber)
    {
        if (points.Count == 0) throw new InvalidOperationException("the long schedule is empty");
        if (qber <= points[0].Qber) return (points[0].StartEfficiency, points[0].RevealStep);
        for (var i = 1; i < points.Count; i++)
        {
            if (qber > points[i].Qber) continue;
            var t = (qber - points[i - 1].Qber) / (points[i].Qber - points[i - 1].Qber);
            return (points[i - 1].StartEfficiency + t * (points[i].StartEfficiency - points[i - 1].StartEfficiency),
                points[i - 1].RevealStep + t * (points[i].RevealStep - points[i - 1].RevealStep));
        }
        return (points[^1].StartEfficiency, points[^1].RevealStep);
    }

    /// <summary>
    /// Highest mother-code design rate that <see cref="ChooseLongCode"/> prefers: the rate-0.9 long code decodes far worse with
    /// the 8-bit min-sum than the others (codes/qc/README.md), so it is used only where no code up to this reaches the rate.
    /// </summary>
    public const double StrongLongCodeMaxRate = 0.86;

    /// <summary>
    /// Long family: of the codes up to <paramref name="strongMaxRate"/> (default <see cref="StrongLongCodeMaxRate"/>) whose range holds 1 - f0 h(Q), the highest-rate one
    /// (fewest punctured, most shortened bits: a shortened bit leaves its checks, so the min-sum sees lower check
    /// degrees, while a punctured one starts with no information); when none of them holds the rate, the lowest-rate code
    /// that does (the most punctured one). Measured with 160 long frames per point (docs/benchmarks/reconciliation.md,
    /// "High-rate codes"): at 4 % the rate-0.75 code nearly fully shortened reached f 1.136-1.152 against 1.165 for the
    /// rate-0.65 code nearly fully punctured (the old rule, "lowest-rate code holding the rate"); at 3 % the rate-0.8 code
    /// nearly fully shortened 1.161 against 1.174-1.184 for the rate-0.75 or 0.7 code punctured.
    /// Outside every range: as <see cref="ChooseCode(IReadOnlyList{MotherCode}, double, double)"/>.
    /// </summary>
    public static (MotherCode Code, int Punctured) ChooseLongCode(IReadOnlyList<MotherCode> codes, double qber, double startEfficiency,
        double strongMaxRate = StrongLongCodeMaxRate)
    {
        var rate = 1 - startEfficiency * Entropy.Binary(qber);
        MotherCode? strong = null, weak = null;
        foreach (var code in codes)
        {
            if (rate < code.MinRate || rate > code.MaxRate) continue;
            if (code.Matrix.DesignRate <= strongMaxRate) strong = code;
            else weak ??= code;
        }
        var chosen = strong ?? weak;
        return chosen is null ? ChooseCode(codes, qber, startEfficiency) : (chosen, chosen.PuncturedFor(rate));
    }

    /// <summary>The short-family mother code and initial punctured count used at this QBER (see the overload).</summary>
    public (MotherCode Code, int Punctured) ChooseCode(double qber) => ChooseCode(_codes, qber, StartEfficiency);

    /// <summary>
    /// The mother code and initial punctured count used at this QBER: of the codes whose rate range holds the
    /// target rate 1 - f0 h(Q), the one whose balanced point (half the modulation bits punctured, half shortened)
    /// is nearest. Measured (docs/benchmarks/reconciliation.md): a code pushed to its fully shortened end fails
    /// at finite length (the high-rate members are the weakest), one pushed to its fully punctured end loses
    /// threshold. Below every range: the lowest code fully shortened; above: the highest fully punctured.
    /// </summary>
    public static (MotherCode Code, int Punctured) ChooseCode(IReadOnlyList<MotherCode> codes, double qber, double startEfficiency)
    {
        var rate = 1 - startEfficiency * Entropy.Binary(qber);
        if (rate < codes[0].MinRate) return (codes[0], 0);
        MotherCode? best = null;
        var bestDistance = double.MaxValue;
        foreach (var code in codes)
        {
            if (rate < code.MinRate || rate > code.MaxRate) continue;
            var distance = Math.Abs(rate - (code.MinRate + code.MaxRate) / 2);
            if (distance < bestDistance) (best, bestDistance) = (code, distance);
        }
        if (best is not null) return (best, best.PuncturedFor(rate));
        var top = codes[^1];
        return (top, top.ModulationBits);
    }
}
