using System.Collections.Concurrent;
using System.Security.Cryptography;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>One thread's reconciliation state: decoders and buffers allocated once, reused for every frame.</summary>
internal interface IFrameWorker
{
    /// <summary>
    /// Both parties on one frame: Bob discloses (syndrome, revealed bits) from <paramref name="bob"/>, Alice
    /// decodes from <paramref name="alice"/> and writes her corrected frame to <paramref name="corrected"/>.
    /// </summary>
    FrameOutcome Run(ReadOnlySpan<ulong> alice, ReadOnlySpan<ulong> bob, double qber, Span<ulong> corrected);
}

/// <summary>Decoder verdict, iterations over all rounds, and bits disclosed for one frame.</summary>
internal readonly record struct FrameOutcome(bool Converged, int Iterations, int LeakBits);

/// <summary>
/// Cuts a block into frames, runs them in parallel on all cores with pooled per-thread workers, confirms
/// each frame with a keyed hash and concatenates the confirmed frames.
/// </summary>
internal sealed class FrameBlockDriver(int frameBits, Func<IFrameWorker> createWorker)
{
    public const int ConfirmationBitsPerFrame = 64;

    private readonly ConcurrentBag<WorkerState> _pool = new();

    public int FrameBits { get; } = frameBits;

    public ReconciliationResult Run(BitVector alice, BitVector bob, double qber)
    {
        ArgumentNullException.ThrowIfNull(alice);
        ArgumentNullException.ThrowIfNull(bob);
        if (alice.Length != bob.Length) throw new ArgumentException($"Alice has {alice.Length} bits, Bob {bob.Length}: they must match");
        if (!(qber > 0 && qber < 0.5)) throw new ArgumentOutOfRangeException(nameof(qber), $"QBER must be in (0, 0.5), got {qber}");
        var frames = alice.Length / FrameBits;
        var frameWords = (FrameBits + 63) >> 6;
        var staging = new ulong[(long)frames * frameWords];
        var ok = new bool[frames];
        var converged = new bool[frames];
        var iterations = new int[frames];
        var leaks = new int[frames];
        var hash = new PolynomialHash64(RandomHashKey());
        Parallel.For(0, frames, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => _pool.TryTake(out var state) ? state : new WorkerState(createWorker(), frameWords),
            (frame, _, state) =>
            {
                long start = (long)frame * FrameBits;
                PackedBits.Copy(alice.Words, start, state.Alice, 0, FrameBits);
                PackedBits.Copy(bob.Words, start, state.Bob, 0, FrameBits);
                var corrected = staging.AsSpan(frame * frameWords, frameWords);
                var outcome = state.Worker.Run(state.Alice, state.Bob, qber, corrected);
                converged[frame] = outcome.Converged;
                iterations[frame] = outcome.Iterations;
                leaks[frame] = outcome.LeakBits;
                // Confirmation: Bob sends his frame's hash; a converged decoder can still land on a wrong word.
                ok[frame] = outcome.Converged
                            && PolynomialHash64.TagsMatch(hash.Tag(corrected, FrameBits), hash.Tag(state.Bob, FrameBits));
                return state;
            },
            state => _pool.Add(state));
        return Collect(alice.Length, qber, staging, frameWords, ok, converged, iterations, leaks);
    }

    private ReconciliationResult Collect(int inputBits, double qber, ulong[] staging, int frameWords, bool[] ok,
        bool[] converged, int[] iterations, int[] leaks)
    {
        var frames = ok.Length;
        var okCount = ok.Count(x => x);
        var reconciled = new BitVector(okCount * FrameBits);
        var written = 0L;
        for (var f = 0; f < frames; f++)
        {
            if (!ok[f]) continue;
            PackedBits.Copy(staging.AsSpan(f * frameWords, frameWords), 0, reconciled.Words, written, FrameBits);
            written += FrameBits;
        }
        var leak = leaks.Sum(x => (long)x);
        var ideal = (double)frames * FrameBits * Entropy.Binary(qber);
        return new ReconciliationResult
        {
            Reconciled = reconciled,
            FrameOk = ok,
            FrameBits = FrameBits,
            LeakBits = leak,
            ConfirmationBits = (long)frames * ConfirmationBitsPerFrame,
            UnusedBits = inputBits - (long)frames * FrameBits,
            MeanIterations = frames == 0 ? 0 : iterations.Average(),
            HashMismatches = Enumerable.Range(0, frames).Count(f => converged[f] && !ok[f]),
            Efficiency = frames == 0 ? double.NaN : leak / ideal,
        };
    }

    private static ulong RandomHashKey()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private sealed class WorkerState(IFrameWorker worker, int frameWords)
    {
        public IFrameWorker Worker { get; } = worker;

        public ulong[] Alice { get; } = new ulong[frameWords];

        public ulong[] Bob { get; } = new ulong[frameWords];
    }
}
