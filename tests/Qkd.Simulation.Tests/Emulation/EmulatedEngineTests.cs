using Qkd.Firmware.Engine;
using Qkd.Simulation.Emulation;
using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Emulation;

public class EmulatedEngineTests
{
    /// <summary>Detects every k-th pulse, reporting Alice's bit when bases match; counts the code reads.</summary>
    private sealed class EveryKthOptics(int k) : IBlockOptics
    {
        public int CodeReads;
        public double[]? AliceVolts;

        public void SetEomVoltages(ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts) => AliceVolts = aliceChannelVolts.ToArray();

        public void SimulateBlock(int pulseCount, Func<int, int> aliceCode, Func<int, int> bobBasis, ulong blockSeed, DetectionSink sink)
        {
            for (var i = 0; i < pulseCount; i += k)
            {
                var a = aliceCode(i);
                var b = bobBasis(i);
                CodeReads += 2;
                sink(i, (byte)((a >> 1) == b ? 1 + (a & 1) : 3));
            }
        }
    }

    private static PulseBlock Block(int bits, int pulses, int seed)
    {
        var block = new PulseBlock(bits, pulses, pulses, 16);
        new Random(seed).NextBytes(block.Codes);
        return block;
    }

    private static void WaitCompleted(IPulseEngine engine)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (engine.State != PulseEngineState.Completed && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Assert.Equal(PulseEngineState.Completed, engine.State);
    }

    [Fact]
    public void Bench_pairs_blocks_by_number_and_reads_codes_only_where_the_optics_ask()
    {
        var optics = new EveryKthOptics(1000);
        var bench = new EmulatedOpticalBench(optics, 1);
        var aliceBlock = Block(PulseCodes.AliceBitsPerPulse, 1_000_000, 1);
        var bobBlock = Block(PulseCodes.BobBitsPerPulse, 1_000_000, 2);
        var alice = new EmulatedHardwareTimedEngine(bench, isBob: false, _ => 7, maxRateHz: 10e6);
        var bob = new EmulatedHardwareTimedEngine(bench, isBob: true, _ => 7, maxRateHz: 10e6);
        alice.Arm(aliceBlock);
        bob.Arm(bobBlock);

        alice.Start();
        Thread.Sleep(20);
        Assert.Equal(PulseEngineState.Running, alice.State); // waits for Bob's block 7
        bob.Start();
        WaitCompleted(bob);
        WaitCompleted(alice);

        Assert.Equal(2_000, optics.CodeReads); // 1000 detections x (Alice's code + Bob's basis), not 10^6 pulses
        Assert.Equal(1_000, bob.DetectionCount);
        Assert.Equal(1_000_000, bob.PulsesDone);
        Assert.Equal(0, bob.MissedTriggers);
        for (var d = 0; d < bob.DetectionCount; d++)
        {
            var pulse = bobBlock.DetectionPulses[d];
            Assert.Equal(d * 1000, pulse);
            var a = PulseCodes.Get(aliceBlock.Codes, pulse, 2);
            var b = PulseCodes.Get(bobBlock.Codes, pulse, 1);
            Assert.Equal((a >> 1) == b ? 1 + (a & 1) : 3, bobBlock.DetectionCodes[d]);
        }
    }

    [Fact]
    public void Stopped_block_is_withdrawn_and_a_shorter_partner_leaves_missed_pulses()
    {
        var bench = new EmulatedOpticalBench(new EveryKthOptics(10), 1);
        var alice = new EmulatedHardwareTimedEngine(bench, isBob: false, _ => 1, maxRateHz: 10e6);
        var bob = new EmulatedHardwareTimedEngine(bench, isBob: true, _ => 1, maxRateHz: 10e6);
        alice.Arm(Block(PulseCodes.AliceBitsPerPulse, 1000, 1));
        alice.Start();
        alice.Stop();
        Assert.Equal(PulseEngineState.Stopped, alice.State);

        var shortBlock = Block(PulseCodes.AliceBitsPerPulse, 1000, 3);
        shortBlock.SetPulseCount(800);
        alice.Arm(shortBlock);
        bob.Arm(Block(PulseCodes.BobBitsPerPulse, 1000, 4));
        bob.Start();
        alice.Start();
        WaitCompleted(bob);
        WaitCompleted(alice);

        Assert.Equal(200, bob.MissedTriggers); // no partner pulse for Bob's last 200
        Assert.Equal(80, bob.DetectionCount);
        Assert.Equal(1, bench.BlocksSimulated);
    }

    [Fact]
    public void Ideal_channel_optics_detect_at_the_given_rate_with_the_given_errors()
    {
        var optics = new IdealChannelOptics(0.01, 0.05);
        int detections = 0, matched = 0, errors = 0;
        var codes = new Random(9);
        var alice = new byte[1_000_000];
        var bob = new byte[1_000_000];
        for (var i = 0; i < alice.Length; i++) { alice[i] = (byte)codes.Next(4); bob[i] = (byte)codes.Next(2); }
        var last = -1;
        optics.SimulateBlock(alice.Length, i => alice[i], i => bob[i], 3, (pulse, code) =>
        {
            Assert.True(pulse > last);
            last = pulse;
            detections++;
            if (alice[pulse] >> 1 != bob[pulse]) return;
            matched++;
            if (code - 1 != (alice[pulse] & 1)) errors++;
        });

        Assert.InRange(detections, 10_000 - 600, 10_000 + 600); // Binomial(1e6, 0.01): 6 sigma ~ 600
        Assert.InRange((double)errors / matched, 0.05 - 0.015, 0.05 + 0.015);
    }
}
