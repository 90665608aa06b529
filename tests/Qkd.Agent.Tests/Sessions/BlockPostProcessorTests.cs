using Qkd.Agent.Sessions;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.Tests.Sessions;

/// <summary>The session's per-block post-processing: the two-party protocol between two tasks in one process.</summary>
public class BlockPostProcessorTests
{
    /// <summary>A block whose detections all fall in Alice's basis, Bob's bit wrong with probability <paramref name="errorRate"/>.</summary>
    private static RawBlock Block(uint id, int detections, double errorRate, int seed)
    {
        var random = new Random(seed);
        var pulses = new int[detections];
        var alice = new byte[detections];
        var bases = new byte[detections];
        var codes = new byte[detections];
        for (var i = 0; i < detections; i++)
        {
            pulses[i] = 3 * i;
            alice[i] = (byte)random.Next(4);
            bases[i] = (byte)(alice[i] >> 1);
            var bit = (alice[i] & 1) ^ (random.NextDouble() < errorRate ? 1 : 0);
            codes[i] = (byte)(1 + bit);
        }
        return new RawBlock { BlockId = id, Pulses = 3 * detections, DetectionPulses = pulses, AliceCodes = alice, BobBases = bases, DetectorCodes = codes };
    }

    private static BlockPostProcessor Create() =>
        new(Reconcilers.Create("paper"), Reconcilers.Create("paper"), new TwoPartyOptions { Profile = "qd-2024" });

    [Fact]
    public void Both_sides_get_the_same_key_and_the_protocol_figures()
    {
        using var processor = Create();
        var outcome = processor.Process(Block(1, 40_000, 0.02, 1));

        Assert.True(outcome.SecretKeyBits > 0);
        Assert.True(outcome.KeysMatch);
        Assert.Equal(40_000, outcome.SiftedBits);
        Assert.Equal(4_000, outcome.SampleBits);
        Assert.Equal(36_000, outcome.RawKeyBits);
        Assert.InRange(outcome.Qber, 0.01, 0.03);
    }

    [Fact]
    public void A_block_refused_for_its_qber_keeps_its_figures_and_the_next_block_still_yields_key()
    {
        using var processor = Create();
        var refused = processor.Process(Block(1, 40_000, 0.3, 2));
        Assert.Equal(0, refused.SecretKeyBits);
        Assert.True(refused.KeysMatch); // nothing stored on either side
        Assert.Equal(40_000, refused.SiftedBits);
        Assert.Equal(4_000, refused.SampleBits);
        Assert.InRange(refused.Qber, 0.25, 0.35);

        var next = processor.Process(Block(2, 40_000, 0.02, 3));
        Assert.True(next.SecretKeyBits > 0);
        Assert.True(next.KeysMatch);
    }
}
