using System.Collections.Concurrent;
using System.Security.Cryptography;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.TwoParty;
using static Qkd.PostProcessing.Reconciliation.ReconciliationMessages;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>How Bob sets up a block: which mother code, how many punctured bits, bits per blind round, rounds.</summary>
internal readonly record struct BlockPlan(int CodeIndex, int Punctured, int RevealStep, int Rounds);

/// <summary>
/// The two-party syndrome reconciliation of one block, shared by the fixed ("paper") and rate-adaptive
/// reconcilers; message layout in <see cref="ReconciliationMessages"/>.
/// <list type="number">
/// <item>Bob: syndromes of all his frames (punctured columns filled with fresh random bits) in one message.</item>
/// <item>Alice: decodes all frames in parallel, batches of frames per decoder; replies which frames decoded.</item>
/// <item>While frames fail and blind rounds remain, Bob reveals this round's columns of the failing frames and
/// Alice resumes those frames; she replies again.</item>
/// <item>Bob: a fresh hash key and the PolynomialHash64 tags of his decoded frames; Alice compares with her
/// corrected frames and returns the verdict (and the iteration count), so both report the same figures.</item>
/// </list>
/// The single-process <see cref="Reconcile"/> runs exactly these two halves over an in-memory channel pair.
/// </summary>
internal sealed class SyndromeProtocol
{
    private readonly MotherCode[] _codes;
    private readonly Func<int, IFrameBatchDecoder> _createDecoder;
    private readonly Func<double, BlockPlan> _plan;
    private readonly ConcurrentBag<IFrameBatchDecoder>[] _decoders;
    private readonly ConcurrentBag<Scratch> _scratch = new();
    private readonly int _family;

    /// <param name="family">Code family id carried in the syndromes message (<see cref="ReconciliationMessages"/>): Alice refuses another.</param>
    public SyndromeProtocol(MotherCode[] codes, Func<int, IFrameBatchDecoder> createDecoder, Func<double, BlockPlan> plan, int family = ShortFamily)
    {
        _family = family;
        _codes = codes;
        _createDecoder = createDecoder;
        _plan = plan;
        _decoders = codes.Select(_ => new ConcurrentBag<IFrameBatchDecoder>()).ToArray();
        FrameBits = codes[0].FrameBits;
    }

    public int FrameBits { get; }

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber) =>
        RunBothHalves(alice, bob, qber, (channel, b) => BobAsync(channel, b, qber, CancellationToken.None),
            (channel, a) => AliceAsync(channel, a, qber, CancellationToken.None));

    /// <summary>Runs Bob's and Alice's halves over an in-memory channel pair; returns Alice's result.</summary>
    public static ReconciliationResult RunBothHalves(BitVector alice, BitVector bob, double qber,
        Func<IClassicalChannel, BitVector, Task<ReconciliationResult>> bobHalf, Func<IClassicalChannel, BitVector, Task<ReconciliationResult>> aliceHalf)
    {
        ArgumentNullException.ThrowIfNull(alice);
        ArgumentNullException.ThrowIfNull(bob);
        if (alice.Length != bob.Length) throw new ArgumentException($"Alice has {alice.Length} bits, Bob {bob.Length}: they must match");
        CheckQber(qber);
        // Both halves start on this thread and each message resumes the waiting half on the sender's thread: Bob runs
        // to his first receive, Alice then finds his syndromes already queued, and the rounds ping-pong with no
        // thread-pool hand-off (before: two Task.Run starts and a pool wake-up per message; docs/benchmarks/pipeline.md).
        var (aliceEnd, bobEnd) = InMemoryClassicalChannel.CreatePair(synchronousContinuations: true);
        var bobTask = ClosingOnFailure(() => bobHalf(bobEnd, bob), bobEnd);
        var aliceTask = ClosingOnFailure(() => aliceHalf(aliceEnd, alice), aliceEnd);
        try
        {
            Task.WaitAll(bobTask, aliceTask);
        }
        catch (AggregateException e)
        {
            // The peer of a failed half sees only the closed channel (IOException): report the cause.
            var cause = e.InnerExceptions.FirstOrDefault(x => x is not IOException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
        }
        return aliceTask.Result;
    }

    private static async Task<ReconciliationResult> ClosingOnFailure(Func<Task<ReconciliationResult>> run, InMemoryClassicalChannel end)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch
        {
            end.Close();
            throw;
        }
    }

    public async Task<ReconciliationResult> BobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(bob);
        CheckQber(qber);
        var plan = _plan(qber);
        var code = _codes[plan.CodeIndex];
        var schedule = Schedule(plan);
        var frames = bob.Length / FrameBits;
        var codeWords = BitVector.WordCount(code.Matrix.Columns);
        var syndromeWords = BitVector.WordCount(code.Matrix.Rows);
        var words = new ulong[(long)frames * codeWords];
        var syndromes = new ulong[(long)frames * syndromeWords];
        var randomBytes = (plan.Punctured + 7) / 8;
        var random = new byte[frames * randomBytes];
        RandomNumberGenerator.Fill(random);
        // The confirmation key is drawn now and every frame's tag computed beside its syndrome, on both cores: the key stays
        // with Bob until Alice has decoded (same messages), and the tags no longer wait, one frame after the other, on one
        // core between Alice's last status and her verdict (docs/benchmarks/pipeline.md, "Per-block overhead").
        var key = SecureRandomBits.UInt64();
        var hash = new PolynomialHash64(key);
        var frameTags = new ulong[frames];
        Parallel.For(0, frames, () => new ulong[BitVector.WordCount(FrameBits)], (f, _, frameBuffer) =>
        {
            var word = words.AsSpan(f * codeWords, codeWords);
            BobEncodes(code, plan.Punctured, bob.Words, (long)f * FrameBits, random.AsSpan(f * randomBytes, randomBytes), word);
            code.Syndrome(word, syndromes.AsSpan(f * syndromeWords, syndromeWords));
            PackedBits.Copy(bob.Words, (long)f * FrameBits, frameBuffer, 0, FrameBits);
            frameTags[f] = hash.Tag(frameBuffer, FrameBits);
            return frameBuffer;
        }, frameBuffer => Array.Clear(frameBuffer));
        await channel.SendAsync(WriteSyndromes(new Syndromes
        {
            Family = _family, CodeIndex = plan.CodeIndex, FrameBits = FrameBits, Frames = frames, Punctured = plan.Punctured, RevealStep = plan.RevealStep,
            Rounds = plan.Rounds, SyndromeBits = code.Matrix.Rows, Qber = qber, Words = syndromes,
        }), cancellationToken).ConfigureAwait(false);

        var roundsUsed = new int[frames];
        bool[] decoded;
        for (var round = 0; ; round++)
        {
            decoded = ReadStatus(await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), round, frames);
            var pending = Pending(decoded);
            if (pending.Length == 0 || round >= schedule.Rounds) break;
            var columns = schedule.Columns(round + 1);
            var perFrame = BitVector.WordCount(columns.Length);
            var values = new ulong[pending.Length * perFrame];
            for (var i = 0; i < pending.Length; i++)
            {
                var word = words.AsSpan(pending[i] * codeWords, codeWords);
                var slot = values.AsSpan(i * perFrame, perFrame);
                for (var j = 0; j < columns.Length; j++) slot[j >> 6] |= (ulong)PackedBits.Bit(word, columns[j]) << (j & 63);
                roundsUsed[pending[i]] = round + 1;
            }
            await channel.SendAsync(WriteReveal(round + 1, columns.Length, pending.Length, values), cancellationToken).ConfigureAwait(false);
        }

        var tags = new List<ulong>();
        for (var f = 0; f < frames; f++)
        {
            if (decoded[f]) tags.Add(frameTags[f]);
        }
        await channel.SendAsync(WriteConfirm(key, tags.ToArray()), cancellationToken).ConfigureAwait(false);
        var (confirmed, iterations) = ReadVerdict(await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), frames);
        for (var f = 0; f < frames; f++)
        {
            if (confirmed[f] && !decoded[f]) throw new InvalidDataException($"verdict confirms frame {f}, which Alice never decoded");
        }
        var reconciled = PackedBits.ConfirmedFrames(bob.Words, FrameBits, confirmed, FrameBits);
        return Result(reconciled, confirmed, decoded, LeakOf(schedule, roundsUsed), iterations, bob.Length, qber);
    }

    public async Task<ReconciliationResult> AliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alice);
        CheckQber(qber);
        var header = ReadSyndromes(await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false));
        var frames = alice.Length / FrameBits;
        if (header.Family != _family)
            throw new InvalidDataException($"Bob's syndromes are for the {ReconciliationMessages.FamilyName(header.Family)} code family, Alice expects " +
                $"the {ReconciliationMessages.FamilyName(_family)} one: both parties must run the same reconciliation scheme and QBER estimate");
        if (header.FrameBits != FrameBits) throw new InvalidDataException($"Bob uses {header.FrameBits}-bit frames, this reconciler {FrameBits}");
        if (header.Frames != frames) throw new InvalidDataException($"Bob sent {header.Frames} frames, Alice holds {frames}");
        if (header.CodeIndex >= _codes.Length) throw new InvalidDataException($"Bob chose code {header.CodeIndex}, only {_codes.Length} are known");
        var code = _codes[header.CodeIndex];
        if (header.SyndromeBits != code.Matrix.Rows) throw new InvalidDataException($"syndromes of {header.SyndromeBits} bits, code {header.CodeIndex} has {code.Matrix.Rows} checks");
        if (header.Punctured > code.ModulationBits) throw new InvalidDataException($"{header.Punctured} punctured bits, code {header.CodeIndex} has {code.ModulationBits} modulation bits");
        var plan = new BlockPlan(header.CodeIndex, header.Punctured, header.RevealStep, header.Rounds);
        var schedule = Schedule(plan);
        var magnitude = ChannelLlr.Magnitude(qber);
        var state = new AliceBlock(this, code, header, alice, magnitude);
        try
        {
            state.Decode(round: 0, columns: default, values: null);
            await channel.SendAsync(WriteStatus(0, state.Decoded), cancellationToken).ConfigureAwait(false);
            for (var round = 1; ; round++)
            {
                var message = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                var type = TypeOf(message);
                if (type == ConfirmType)
                {
                    var (key, tags) = ReadConfirm(message, state.Decoded.Count(d => d));
                    var confirmed = state.Confirm(new PolynomialHash64(key), tags);
                    await channel.SendAsync(WriteVerdict(confirmed, state.Iterations), cancellationToken).ConfigureAwait(false);
                    return Result(state.Output(confirmed), confirmed, state.Decoded, LeakOf(schedule, state.RoundsUsed), state.Iterations,
                        alice.Length, header.Qber);
                }
                if (type != RevealType) throw new InvalidDataException($"expected a reveal or confirm message, got type {type}");
                if (round > schedule.Rounds) throw new InvalidDataException($"Bob sent blind round {round}, the plan has {schedule.Rounds}");
                var columns = schedule.Columns(round);
                var values = ReadReveal(message, round, columns.Length, Pending(state.Decoded).Length);
                state.Decode(round, columns.ToArray(), values);
                await channel.SendAsync(WriteStatus(round, state.Decoded), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            state.ReturnDecoders();
        }
    }

    // Built per block, not cached: the punctured count follows each block's QBER estimate almost bit for bit,
    // so a cache keyed by the plan grew by one entry (tens of kB for long codes) per block of a long session.
    private RevealSchedule Schedule(BlockPlan plan) => new(_codes[plan.CodeIndex], plan.Punctured, plan.RevealStep, plan.Rounds);

    private static long LeakOf(RevealSchedule schedule, int[] roundsUsed) => roundsUsed.Sum(r => (long)schedule.LeakAfter(r));

    private static int[] Pending(bool[] decoded) => Enumerable.Range(0, decoded.Length).Where(f => !decoded[f]).ToArray();

    internal static void CheckQber(double qber)
    {
        if (!(qber > 0 && qber < 0.5)) throw new ArgumentOutOfRangeException(nameof(qber), $"QBER must be in (0, 0.5), got {qber}");
    }

    private ReconciliationResult Result(BitVector reconciled, bool[] confirmed, bool[] decoded, long leak, long iterations, int inputBits, double qber)
    {
        var frames = confirmed.Length;
        return new ReconciliationResult
        {
            Reconciled = reconciled,
            FrameOk = confirmed,
            FrameBits = FrameBits,
            LeakBits = leak,
            ConfirmationBits = (long)frames * 64,
            UnusedBits = inputBits - (long)frames * FrameBits,
            MeanIterations = frames == 0 ? 0 : (double)iterations / frames,
            HashMismatches = Enumerable.Range(0, frames).Count(f => decoded[f] && !confirmed[f]),
            Efficiency = frames == 0 ? double.NaN : leak / ((double)frames * FrameBits * Entropy.Binary(qber)),
        };
    }

    /// <summary>Bob's codeword: frame bits at the frame columns, random bits at the punctured ones, zeros at the shortened ones.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void BobEncodes(MotherCode code, int punctured, ReadOnlySpan<ulong> bob, long start, ReadOnlySpan<byte> random, Span<ulong> word)
    {
        word.Clear();
        if (code.ModulationBits == 0)
        {
            PackedBits.Copy(bob, start, word, 0, code.FrameBits);
            return;
        }
        FrameColumns.Insert(code, bob, start, word);
        for (var j = 0; j < punctured; j++)
        {
            var c = code.ModulationPositions[j];
            word[c >> 6] |= (ulong)((random[j >> 3] >> (j & 7)) & 1) << (c & 63);
        }
    }

    /// <summary>Tests: whether every pooled scratch buffer is all zeros (nothing of a block waits for the next one).</summary>
    internal bool PooledScratchIsClear() =>
        _scratch.All(s => s.Codeword.All(word => word == 0) && s.Llr.All(llr => llr == 0f));

    /// <summary>Tests: decoders in the pool (a block decoded through this protocol leaves at least one).</summary>
    internal int PooledDecoderCount => _decoders.Sum(pool => pool.Count);

    /// <summary>Tests: scratch buffers in the pool.</summary>
    internal int PooledScratchCount => _scratch.Count;

    /// <summary>One thread's buffers, pooled across frames and blocks; wiped before going back to the pool.</summary>
    private sealed class Scratch(int columns)
    {
        public float[] Llr { get; } = new float[columns];
        public ulong[] Codeword { get; } = new ulong[BitVector.WordCount(columns)];

        /// <summary>Whether <see cref="Llr"/> was written since the last wipe (the float path; LoadHard does not use it).</summary>
        public bool LlrWritten { get; set; }

        /// <summary>Alice's frame bits, her LLRs (their signs) and corrected words must not wait in the pool for the next block.</summary>
        public void Wipe()
        {
            Array.Clear(Codeword);
            if (!LlrWritten) return;
            Array.Clear(Llr);
            LlrWritten = false;
        }
    }

    /// <summary>Alice's state for one block: decoders per batch of frames, corrected frames, per-frame progress.</summary>
    private sealed class AliceBlock
    {
        private readonly SyndromeProtocol _owner;
        private readonly MotherCode _code;
        private readonly int _codeIndex;
        private readonly Syndromes _header;
        private readonly BitVector _alice;
        private readonly float _magnitude;
        // A batch's decoder is taken from the pool when the batch is first decoded and given back as soon as all
        // its frames have decoded: only batches with pending frames hold one (their state resumes after a reveal).
        private readonly IFrameBatchDecoder?[] _batches;
        private readonly ulong[] _corrected;
        private readonly int _frameWords;
        private readonly int _lanes;
        private readonly int[] _iterations;
        // Quasi-cyclic codes: the punctured (unknown) and shortened (known) columns as bit masks, so the decoder builds its
        // 8-bit channel values from her packed bits (QuasiCyclicMinSumDecoder.LoadHard) instead of float LLRs.
        private readonly ulong[]? _unknown;
        private readonly ulong[]? _known;

        public AliceBlock(SyndromeProtocol owner, MotherCode code, Syndromes header, BitVector alice, float magnitude)
        {
            _owner = owner;
            _code = code;
            _codeIndex = header.CodeIndex;
            _header = header;
            _alice = alice;
            _magnitude = magnitude;
            var frames = header.Frames;
            var first = owner._decoders[_codeIndex].TryTake(out var d) ? d : owner._createDecoder(_codeIndex);
            _lanes = first.Lanes;
            _batches = new IFrameBatchDecoder[(frames + _lanes - 1) / _lanes];
            owner._decoders[_codeIndex].Add(first);
            _frameWords = BitVector.WordCount(owner.FrameBits);
            _corrected = new ulong[(long)frames * _frameWords];
            _iterations = new int[frames];
            Decoded = new bool[frames];
            RoundsUsed = new int[frames];
            if (code.QuasiCyclic is null || code.ModulationBits == 0) return;
            _unknown = new ulong[BitVector.WordCount(code.Matrix.Columns)];
            _known = new ulong[_unknown.Length];
            var modulation = code.ModulationPositions;
            for (var j = 0; j < modulation.Length; j++)
            {
                var mask = j < header.Punctured ? _unknown : _known;
                mask[modulation[j] >> 6] |= 1UL << (modulation[j] & 63);
            }
        }

        public bool[] Decoded { get; }

        public int[] RoundsUsed { get; }

        public long Iterations => _iterations.Sum(i => (long)i);

        /// <summary>Round 0: load and decode every frame; round k: reveal <paramref name="columns"/> of the pending frames and resume them.</summary>
        public void Decode(int round, int[]? columns, ulong[]? values)
        {
            var pendingIndex = new int[Decoded.Length];
            var count = 0;
            for (var f = 0; f < Decoded.Length; f++) pendingIndex[f] = Decoded[f] ? -1 : count++;
            var perFrame = columns is null ? 0 : BitVector.WordCount(columns.Length);
            var work = PendingBatches();
            if (work.Length == 0) return;
            // One batch per claimed chunk, so both cores stay busy to the end; a lone pending batch (late blind
            // rounds) runs inline, with no hand-off.
            WorkSharing.ForEach(work.Length, parallel: true, chunksPerWorker: work.Length, i =>
            {
                var scratch = _owner._scratch.TryTake(out var s) && s.Llr.Length >= _code.Matrix.Columns ? s : new Scratch(_code.Matrix.Columns);
                try
                {
                    DecodeBatch(work[i], round, columns, values, pendingIndex, perFrame, scratch);
                }
                finally
                {
                    scratch.Wipe();
                    _owner._scratch.Add(scratch);
                }
            });
        }

        /// <summary>Batches holding at least one frame not yet decoded.</summary>
        private int[] PendingBatches()
        {
            var work = new List<int>(_batches.Length);
            for (var b = 0; b < _batches.Length; b++)
            {
                for (var f = b * _lanes; f < Math.Min(Decoded.Length, (b + 1) * _lanes); f++)
                {
                    if (Decoded[f]) continue;
                    work.Add(b);
                    break;
                }
            }
            return work.ToArray();
        }

        private void DecodeBatch(int b, int round, int[]? columns, ulong[]? values, int[] pendingIndex, int perFrame, Scratch scratch)
        {
            uint mask = 0;
            for (var lane = 0; lane < _lanes; lane++)
            {
                var f = b * _lanes + lane;
                if (f < Decoded.Length && !Decoded[f]) mask |= 1u << lane;
            }
            if (mask == 0) return;
            var decoder = _batches[b] ??= _owner._decoders[_codeIndex].TryTake(out var pooled) ? pooled : _owner._createDecoder(_codeIndex);
            for (var lane = 0; lane < _lanes; lane++)
            {
                if ((mask & (1u << lane)) == 0) continue;
                var f = b * _lanes + lane;
                if (round == 0 && decoder is QuasiCyclicMinSumDecoder quasiCyclic && _unknown is not null)
                {
                    FrameColumns.Insert(_code, _alice.Words, (long)f * _owner.FrameBits, scratch.Codeword);
                    quasiCyclic.LoadHard(lane, scratch.Codeword, _unknown, _known!, _magnitude, _header.Of(f));
                }
                else if (round == 0)
                {
                    scratch.LlrWritten = true;
                    AliceSetsChannel(f, scratch.Llr);
                    decoder.Load(lane, scratch.Llr, _header.Of(f));
                }
                else
                {
                    decoder.Reveal(lane, columns, values.AsSpan(pendingIndex[f] * perFrame, perFrame));
                    RoundsUsed[f] = round;
                }
            }
            var converged = decoder.Run(mask);
            for (var lane = 0; lane < _lanes; lane++)
            {
                if ((mask & (1u << lane)) == 0) continue;
                var f = b * _lanes + lane;
                _iterations[f] += decoder.Iterations(lane);
                if ((converged & (1u << lane)) == 0) continue;
                decoder.CopyDecoded(lane, scratch.Codeword);
                ExtractFrame(scratch.Codeword, _corrected.AsSpan(f * _frameWords, _frameWords));
                Decoded[f] = true;
            }
            if (converged == mask) ReturnDecoder(b);
        }

        public bool[] Confirm(PolynomialHash64 hash, ulong[] bobTags)
        {
            var confirmed = new bool[Decoded.Length];
            var t = 0;
            for (var f = 0; f < Decoded.Length; f++)
            {
                if (!Decoded[f]) continue;
                var tag = hash.Tag(_corrected.AsSpan(f * _frameWords, _frameWords), _owner.FrameBits);
                confirmed[f] = PolynomialHash64.TagsMatch(tag, bobTags[t++]);
            }
            return confirmed;
        }

        /// <summary>The confirmed frames of her corrected words (each frame starts on a word boundary).</summary>
        public BitVector Output(bool[] confirmed) => PackedBits.ConfirmedFrames(_corrected, 64L * _frameWords, confirmed, _owner.FrameBits);

        public void ReturnDecoders()
        {
            for (var b = 0; b < _batches.Length; b++) ReturnDecoder(b);
        }

        private void ReturnDecoder(int batch)
        {
            if (_batches[batch] is { } decoder)
            {
                decoder.Wipe();
                _owner._decoders[_codeIndex].Add(decoder);
            }
            _batches[batch] = null;
        }

        /// <summary>Her bits through the BSC at the frame columns, punctured columns unknown (0), shortened known zeros.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void AliceSetsChannel(int frame, float[] llr)
        {
            FrameColumns.SetLlr(_code, _alice.Words, (long)frame * _owner.FrameBits, _magnitude, llr);
            var modulation = _code.ModulationPositions;
            for (var j = 0; j < modulation.Length; j++) llr[modulation[j]] = j < _header.Punctured ? 0f : ChannelLlr.Known;
        }

        private void ExtractFrame(ReadOnlySpan<ulong> codeword, Span<ulong> frame)
        {
            frame.Clear();
            if (_code.ModulationBits == 0)
            {
                PackedBits.Copy(codeword, 0, frame, 0, _owner.FrameBits);
                return;
            }
            FrameColumns.Extract(_code, codeword, frame);
        }
    }
}
