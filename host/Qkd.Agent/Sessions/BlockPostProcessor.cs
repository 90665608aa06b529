using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Pipeline;

namespace Qkd.Agent.Sessions;

/// <summary>One block through sifting and the (single-process) BlockPipeline.</summary>
public sealed class BlockOutcome
{
    public required uint BlockId { get; init; }
    public required int Pulses { get; init; }
    public required int Detections { get; init; }
    public required int DoubleClicks { get; init; }
    public required int SiftedBits { get; init; }
    public required int SampleBits { get; init; }
    public required double Qber { get; init; }
    public required int RawKeyBits { get; init; }
    public required int ReconciledBits { get; init; }
    public required BitVector AliceKey { get; init; }
    public required BitVector BobKey { get; init; }
    public long SecretKeyBits => AliceKey.Length;
    public bool KeysMatch => AliceKey.ContentEquals(BobKey);
}

/// <summary>
/// Sifts a raw block (only detected pulses: Alice's code there against Bob's basis; double clicks
/// dropped) into Z-then-X strings and runs the BlockPipeline on them. The lead replaces the pipeline
/// with the authenticated two-party protocol when it lands.
/// </summary>
public sealed class BlockPostProcessor(BlockPipeline pipeline)
{
    public BlockOutcome Process(RawBlock raw)
    {
        var n = raw.DetectionPulses.Length;
        var zAlice = new BitVector(n); var zBob = new BitVector(n);
        var xAlice = new BitVector(n); var xBob = new BitVector(n);
        int z = 0, x = 0, doubles = 0;
        for (var i = 0; i < n; i++)
        {
            var code = raw.DetectorCodes[i];
            if (code == 3) { doubles++; continue; }
            if (code is not (1 or 2)) continue;
            var alice = raw.AliceCodes[i];
            var basis = alice >> 1;
            if (basis != raw.BobBases[i]) continue;
            bool aliceBit = (alice & 1) != 0, bobBit = code == 2;
            if (basis == 0) { zAlice[z] = aliceBit; zBob[z] = bobBit; z++; }
            else { xAlice[x] = aliceBit; xBob[x] = bobBit; x++; }
        }
        var siftedAlice = new BitVector(z + x);
        var siftedBob = new BitVector(z + x);
        zAlice.CopyTo(0, siftedAlice, 0, z); xAlice.CopyTo(0, siftedAlice, z, x);
        zBob.CopyTo(0, siftedBob, 0, z); xBob.CopyTo(0, siftedBob, z, x);

        PipelineReport? report = null;
        if (z + x >= 100)
        {
            // The estimation sample is public: a seed from the block number is as good as any shared one.
            report = pipeline.Run(siftedAlice, siftedBob, z, 0x5EED_0000UL + raw.BlockId);
        }
        return new BlockOutcome
        {
            BlockId = raw.BlockId, Pulses = raw.Pulses, Detections = n, DoubleClicks = doubles,
            SiftedBits = z + x, SampleBits = report?.SampleBits ?? 0,
            Qber = report?.Qber.Qber ?? double.NaN,
            RawKeyBits = report is null ? 0 : z + x - report.SampleBits,
            ReconciledBits = report?.ReconciledBits ?? 0,
            AliceKey = report?.AliceKey ?? new BitVector(0), BobKey = report?.BobKey ?? new BitVector(0),
        };
    }
}
