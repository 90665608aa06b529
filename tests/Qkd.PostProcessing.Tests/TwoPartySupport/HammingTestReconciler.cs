using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests.TwoPartySupport;

/// <summary>
/// A small but honest two-party reconciler for tests (until the LDPC reconcilers gain their halves):
/// frames of 12 chunks of 31 bits; Bob sends each chunk's Hamming(31,26) syndrome (5 bits, 60 per frame)
/// and a per-frame confirmation tag under a fresh key; Alice corrects one error per chunk, keeps the
/// frames whose tags match and tells Bob which. Frames with two errors in a chunk are dropped, counted.
/// </summary>
public sealed class HammingTestReconciler : IReconciler
{
    private const int Chunk = 31, ChunksPerFrame = 12;

    public string Name => "hamming-test";

    public int FrameBits => Chunk * ChunksPerFrame;

    public ReconciliationResult Reconcile(BitVector alice, BitVector bob, double qber)
    {
        var (a, b) = InMemoryClassicalChannel.CreatePair();
        var bobTask = ReconcileAsBobAsync(b, bob, qber);
        var aliceResult = ReconcileAsAliceAsync(a, alice, qber).GetAwaiter().GetResult();
        bobTask.GetAwaiter().GetResult();
        return aliceResult;
    }

    public async Task<ReconciliationResult> ReconcileAsBobAsync(IClassicalChannel channel, BitVector bob, double qber, CancellationToken cancellationToken = default)
    {
        int frames = bob.Length / FrameBits;
        ulong key = (ulong)Random.Shared.NextInt64() | 1;
        var hash = new PolynomialHash64(key);
        var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write(frames);
        writer.Write(key);
        for (int f = 0; f < frames; f++)
        {
            var frame = bob.Slice(f * FrameBits, FrameBits);
            writer.Write(Syndromes(frame));
            writer.Write(hash.Tag(frame));
        }
        writer.Flush();
        await channel.SendAsync(stream.ToArray(), cancellationToken);
        byte[] verdict = await channel.ReceiveAsync(cancellationToken);
        if (verdict.Length != frames) throw new InvalidDataException("frame verdict has the wrong length");
        bool[] ok = verdict.Select(v => v == 1).ToArray();
        return Result(bob, ok, frames, qber);
    }

    public async Task<ReconciliationResult> ReconcileAsAliceAsync(IClassicalChannel channel, BitVector alice, double qber, CancellationToken cancellationToken = default)
    {
        var reader = new BinaryReader(new MemoryStream(await channel.ReceiveAsync(cancellationToken)));
        int frames = reader.ReadInt32();
        if (frames != alice.Length / FrameBits) throw new InvalidDataException("Bob's frame count differs from Alice's");
        var hash = new PolynomialHash64(reader.ReadUInt64());
        var corrected = new BitVector(alice.Length);
        alice.CopyTo(0, corrected, 0, alice.Length);
        var ok = new bool[frames];
        for (int f = 0; f < frames; f++)
        {
            ulong bobSyndromes = reader.ReadUInt64();
            ulong bobTag = reader.ReadUInt64();
            var frame = corrected.Slice(f * FrameBits, FrameBits);
            ulong difference = Syndromes(frame) ^ bobSyndromes;
            for (int c = 0; c < ChunksPerFrame; c++)
            {
                int position = (int)((difference >> (5 * c)) & 31);
                if (position != 0) frame[c * Chunk + position - 1] = !frame[c * Chunk + position - 1];
            }
            frame.CopyTo(0, corrected, f * FrameBits, FrameBits);
            ok[f] = PolynomialHash64.TagsMatch(hash.Tag(frame), bobTag);
        }
        await channel.SendAsync(ok.Select(v => v ? (byte)1 : (byte)0).ToArray(), cancellationToken);
        return Result(corrected, ok, frames, qber);
    }

    /// <summary>Per chunk: XOR of (position + 1) over its set bits, 5 bits each.</summary>
    private static ulong Syndromes(BitVector frame)
    {
        ulong all = 0;
        for (int c = 0; c < ChunksPerFrame; c++)
        {
            ulong s = 0;
            for (int j = 0; j < Chunk; j++) if (frame[c * Chunk + j]) s ^= (ulong)(j + 1);
            all |= s << (5 * c);
        }
        return all;
    }

    private ReconciliationResult Result(BitVector bits, bool[] ok, int frames, double qber)
    {
        int kept = ok.Count(v => v);
        var reconciled = new BitVector(kept * FrameBits);
        for (int f = 0, at = 0; f < frames; f++)
        {
            if (!ok[f]) continue;
            bits.CopyTo(f * FrameBits, reconciled, at, FrameBits);
            at += FrameBits;
        }
        long leak = 60L * frames;
        return new ReconciliationResult
        {
            Reconciled = reconciled, FrameOk = ok, FrameBits = FrameBits, LeakBits = leak, ConfirmationBits = 64L * frames,
            UnusedBits = bits.Length - (long)frames * FrameBits, MeanIterations = 1, HashMismatches = frames - kept,
            Efficiency = frames == 0 ? double.NaN : leak / (frames * (double)FrameBits * Entropy.Binary(qber)),
        };
    }
}
