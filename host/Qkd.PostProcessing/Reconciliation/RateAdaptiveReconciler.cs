using System.Security.Cryptography;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Ldpc;

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
    private readonly FrameBlockDriver _driver;

    /// <param name="codes">Mother codes, all with the same frame length.</param>
    /// <param name="decoderFactory">One decoder per code per worker thread (default: layered offset min-sum).</param>
    public RateAdaptiveReconciler(IReadOnlyList<MotherCode> codes, Func<SparseParityCheckMatrix, ISyndromeDecoder>? decoderFactory = null,
        string name = "adaptive")
    {
        if (codes.Count == 0) throw new ArgumentException("at least one mother code is needed", nameof(codes));
        if (codes.Any(c => c.FrameBits != codes[0].FrameBits))
            throw new ArgumentException("all mother codes must carry the same frame length", nameof(codes));
        _codes = codes.OrderBy(c => c.MaxRate).ToArray();
        Name = name;
        var factory = decoderFactory ?? (h => new LayeredMinSumDecoder(h));
        _driver = new FrameBlockDriver(_codes[0].FrameBits, () => new Worker(this, _codes.Select(c => factory(c.Matrix)).ToArray()));
    }

    public string Name { get; }

    public int FrameBits => _codes[0].FrameBits;

    public IReadOnlyList<MotherCode> Codes => _codes;

    /// <summary>Efficiency aimed at by the first round (before any bit is revealed).</summary>
    public double StartEfficiency { get; set; } = 1.05;

    /// <summary>Bits revealed per blind round, as a fraction of n h(Q) (so each round adds this much to f).</summary>
    public double RevealStep { get; set; } = 0.03;

    /// <summary>Blind rounds after the first attempt before a frame is given up.</summary>
    public int MaxRevealRounds { get; set; } = 12;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) => _driver.Run(alice, bob, qber);

    /// <summary>The mother code and initial punctured count used at this QBER.</summary>
    public (MotherCode Code, int Punctured) ChooseCode(double qber)
    {
        var rate = 1 - StartEfficiency * Entropy.Binary(qber);
        foreach (var code in _codes)
        {
            if (rate <= code.MaxRate) return (code, code.PuncturedFor(rate));
        }
        var top = _codes[^1];
        return (top, top.ModulationBits);
    }

    private sealed class Worker : IFrameWorker
    {
        private readonly RateAdaptiveReconciler _owner;
        private readonly ISyndromeDecoder[] _decoders;
        private readonly ulong[] _bobWord;
        private readonly ulong[] _decodedWord;
        private readonly ulong[] _syndrome;
        private readonly float[] _llr;
        private readonly byte[] _randomBytes;

        public Worker(RateAdaptiveReconciler owner, ISyndromeDecoder[] decoders)
        {
            _owner = owner;
            _decoders = decoders;
            var columns = owner._codes.Max(c => c.Matrix.Columns);
            var rows = owner._codes.Max(c => c.Matrix.Rows);
            _bobWord = new ulong[SparseParityCheckMatrix.WordsFor(columns)];
            _decodedWord = new ulong[_bobWord.Length];
            _syndrome = new ulong[SparseParityCheckMatrix.WordsFor(rows)];
            _llr = new float[columns];
            _randomBytes = new byte[(owner._codes.Max(c => c.ModulationBits) + 7) / 8];
        }

        public FrameOutcome Run(ReadOnlySpan<ulong> alice, ReadOnlySpan<ulong> bob, double qber, Span<ulong> corrected)
        {
            var (code, punctured) = _owner.ChooseCode(qber);
            var decoder = _decoders[Array.IndexOf(_owner._codes, code)];
            BobEncodes(code, punctured, bob);
            AliceSetsChannel(code, punctured, alice, ChannelLlr.Magnitude(qber));
            var step = Math.Max(1, (int)Math.Ceiling(_owner.RevealStep * code.FrameBits * Entropy.Binary(qber)));
            var revealedFrameBits = 0;
            var result = decoder.Decode(_llr, _syndrome, _decodedWord);
            var iterations = result.Iterations;
            for (var round = 0; !result.Converged && round < _owner.MaxRevealRounds; round++)
            {
                var changed = punctured > 0
                    ? BobRevealsPunctured(code, ref punctured, step)
                    : BobRevealsFrameBits(code, ref revealedFrameBits, step);
                if (changed.IsEmpty) break;
                result = decoder.Continue(_llr, changed, _syndrome, _decodedWord);
                iterations += result.Iterations;
            }
            ExtractFrame(code, corrected);
            return new FrameOutcome(result.Converged, iterations, code.Matrix.Rows - punctured + revealedFrameBits);
        }

        /// <summary>Bob: frame bits at the frame columns, fresh random bits at punctured columns, zeros at shortened; syndrome.</summary>
        private void BobEncodes(MotherCode code, int punctured, ReadOnlySpan<ulong> bob)
        {
            Array.Clear(_bobWord);
            var positions = code.FramePositions;
            for (var i = 0; i < positions.Length; i++)
            {
                var c = positions[i];
                _bobWord[c >> 6] |= (ulong)PackedBits.Bit(bob, i) << (c & 63);
            }
            RandomNumberGenerator.Fill(_randomBytes.AsSpan(0, (punctured + 7) / 8));
            for (var j = 0; j < punctured; j++)
            {
                var c = code.ModulationPositions[j];
                _bobWord[c >> 6] |= (ulong)((_randomBytes[j >> 3] >> (j & 7)) & 1) << (c & 63);
            }
            code.Matrix.Syndrome(_bobWord, _syndrome);
        }

        /// <summary>Alice: her bits through the BSC, punctured bits unknown (LLR 0), shortened bits known zeros.</summary>
        private void AliceSetsChannel(MotherCode code, int punctured, ReadOnlySpan<ulong> alice, float magnitude)
        {
            var positions = code.FramePositions;
            for (var i = 0; i < positions.Length; i++) _llr[positions[i]] = PackedBits.Bit(alice, i) == 0 ? magnitude : -magnitude;
            var modulation = code.ModulationPositions;
            for (var j = 0; j < modulation.Length; j++) _llr[modulation[j]] = j < punctured ? 0f : ChannelLlr.Known;
        }

        /// <summary>Blind round: Bob discloses the values of the last <paramref name="step"/> punctured bits (they become shortened).</summary>
        private ReadOnlySpan<int> BobRevealsPunctured(MotherCode code, ref int punctured, int step)
        {
            var remaining = Math.Max(0, punctured - step);
            var columns = code.ModulationPositions.AsSpan(remaining, punctured - remaining);
            Reveal(columns);
            punctured = remaining;
            return columns;
        }

        /// <summary>Once no punctured bit is left, Bob discloses frame bits (counted as leak), in the code's fixed order.</summary>
        private ReadOnlySpan<int> BobRevealsFrameBits(MotherCode code, ref int revealed, int step)
        {
            var count = Math.Min(step, code.RevealOrder.Length - revealed);
            var columns = code.RevealOrder.AsSpan(revealed, count);
            Reveal(columns);
            revealed += count;
            return columns;
        }

        private void Reveal(ReadOnlySpan<int> columns)
        {
            foreach (var c in columns) _llr[c] = PackedBits.Bit(_bobWord, c) == 0 ? ChannelLlr.Known : -ChannelLlr.Known;
        }

        private void ExtractFrame(MotherCode code, Span<ulong> corrected)
        {
            corrected.Clear();
            var positions = code.FramePositions;
            for (var i = 0; i < positions.Length; i++)
                corrected[i >> 6] |= (ulong)PackedBits.Bit(_decodedWord, positions[i]) << (i & 63);
        }
    }
}
