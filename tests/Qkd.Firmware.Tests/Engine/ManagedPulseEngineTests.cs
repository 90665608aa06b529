using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Tests.Engine;

public class ManagedPulseEngineTests
{
    private const int BlockPulses = 100_000;

    [Fact]
    public void Alice_block_of_1e5_pulses_puts_each_table_code_on_the_mux_at_its_trigger()
    {
        using var bench = new EngineBench(bob: false);
        var table = RandomCodes(BlockPulses, 4, seed: 1);
        var block = AliceBlock(table);
        var completions = 0;
        bench.Engine.BlockCompleted += (_, b) => { completions++; Assert.Same(block, b); };
        bench.Engine.Arm(block);
        bench.Engine.Start();

        var seen = new byte[BlockPulses];
        for (var k = 0; k < BlockPulses; k++)
        {
            bench.Fire();
            seen[k] = (byte)bench.MuxCode;
        }

        Assert.Equal(table, seen);
        Assert.Equal(PulseEngineState.Completed, bench.Engine.State);
        Assert.Equal(BlockPulses, bench.Engine.PulsesDone);
        Assert.Equal(0, bench.Engine.MissedTriggers);
        Assert.Equal(1, completions);
        Assert.True(bench.Engine.MeasuredMaxRateHz > 0);
    }

    [Fact]
    public void Bob_block_of_1e5_pulses_records_exactly_the_injected_clicks_with_double_clicks_flagged()
    {
        using var bench = new EngineBench(bob: true);
        var basis = RandomCodes(BlockPulses, 2, seed: 2);
        var clicks = RandomClicks(BlockPulses, seed: 3);
        var block = BobBlock(basis, detectionCapacity: BlockPulses);
        bench.InjectClicks(clicks);
        bench.Engine.Arm(block);
        bench.Engine.Start();

        var seenBasis = new byte[BlockPulses];
        for (var k = 0; k < BlockPulses; k++)
        {
            bench.Fire();
            seenBasis[k] = (byte)bench.MuxCode;
        }

        Assert.Equal(basis, seenBasis);
        var expected = Enumerable.Range(0, BlockPulses).Where(p => clicks[p] != 0).ToArray();
        Assert.Equal(expected.Length, bench.Engine.DetectionCount);
        Assert.Equal(expected, block.DetectionPulses.Take(expected.Length));
        Assert.Equal(expected.Select(p => clicks[p]), block.DetectionCodes.Take(expected.Length));
        Assert.Contains(DetectorCode.DoubleClick, block.DetectionCodes.Take(expected.Length));
        Assert.Equal(0, bench.Engine.MissedTriggers);
        Assert.Equal(0, bench.Engine.DetectionsDropped);
        Assert.Equal(PulseEngineState.Completed, bench.Engine.State);
    }

    [Fact]
    public void Trigger_arriving_while_the_previous_is_handled_is_reported_missed_and_the_table_does_not_shift()
    {
        const int pulses = 2_000;
        using var bench = new EngineBench(bob: true);
        var basis = RandomCodes(pulses, 2, seed: 4);
        var clicks = RandomClicks(pulses, seed: 5);
        var block = BobBlock(basis, detectionCapacity: pulses);
        bench.InjectClicks(clicks);
        var busyAt = new HashSet<int> { 10, 500, 501, 1998 };
        // A second trigger edge while the engine is still inside pulse k's handler: pulse k+1.
        bench.DuringGate = pulse =>
        {
            if (!busyAt.Remove(pulse)) return;
            bench.Driver.DriveInput(EngineBench.Trigger, false);
            bench.Driver.DriveInput(EngineBench.Trigger, true);
        };
        bench.Engine.Arm(block);
        bench.Engine.Start();

        var basisAtHandledPulse = new Dictionary<int, int>();
        while (bench.TriggerEdges < pulses)
        {
            var pulse = bench.TriggerEdges;
            bench.Fire();
            basisAtHandledPulse[pulse] = bench.MuxCode;
        }

        // 500 and 501 both busy: 501 is itself the missed pulse of 500, so it never runs a handler.
        int[] missed = [11, 501, 1999];
        Assert.Equal(missed.Length, bench.Engine.MissedTriggers);
        Assert.Equal(missed, block.MissedPulses.Take(missed.Length));
        Assert.Equal(pulses, bench.Engine.PulsesDone);
        Assert.Equal(PulseEngineState.Completed, bench.Engine.State);
        foreach (var (pulse, code) in basisAtHandledPulse)
            Assert.Equal(basis[pulse], code);
        var expected = Enumerable.Range(0, pulses).Where(p => clicks[p] != 0 && !missed.Contains(p)).ToArray();
        Assert.Equal(expected, block.DetectionPulses.Take(bench.Engine.DetectionCount));
    }

    [Fact]
    public void With_a_trigger_counter_a_lost_pin_event_is_reported_at_its_own_pulse()
    {
        const int pulses = 1_000;
        var counter = new EdgeCounter();
        using var bench = new EngineBench(bob: false, counter);
        bench.Driver.AddListener(EngineBench.Trigger, (_, high, _) => { if (high) counter.Count++; });
        var table = RandomCodes(pulses, 4, seed: 6);
        var block = AliceBlock(table);
        bench.Engine.Arm(block);
        bench.Engine.Start();

        var seen = new Dictionary<int, int>();
        for (var k = 0; k < pulses; k++)
        {
            if (k is 100 or 101 or 700)
            {
                counter.Count++; // the edge happened, its pin event never came
                continue;
            }
            bench.Fire();
            seen[k] = bench.MuxCode;
        }

        Assert.Equal(3, bench.Engine.MissedTriggers);
        Assert.Equal([100, 101, 700], block.MissedPulses.Take(3));
        foreach (var (pulse, code) in seen)
            Assert.Equal(table[pulse], code);
        Assert.Equal(PulseEngineState.Completed, bench.Engine.State);
    }

    [Fact]
    public void Missed_triggers_at_the_end_of_a_block_are_reported_by_Stop()
    {
        var counter = new EdgeCounter();
        using var bench = new EngineBench(bob: false, counter);
        bench.Driver.AddListener(EngineBench.Trigger, (_, high, _) => { if (high) counter.Count++; });
        var block = AliceBlock(RandomCodes(10, 4, seed: 7));
        bench.Engine.Arm(block);
        bench.Engine.Start();
        for (var k = 0; k < 8; k++) bench.Fire();
        counter.Count += 2; // the last two edges came, their events did not

        bench.Engine.Stop();

        Assert.Equal(2, bench.Engine.MissedTriggers);
        Assert.Equal([8, 9], block.MissedPulses.Take(2));
        Assert.Equal(10, bench.Engine.PulsesDone);
    }

    [Fact]
    public void Detections_beyond_the_record_buffer_are_counted_as_dropped()
    {
        using var bench = new EngineBench(bob: true);
        var clicks = Enumerable.Repeat(DetectorCode.Apd1, 20).ToArray();
        var block = BobBlock(new byte[20], detectionCapacity: 5);
        bench.InjectClicks(clicks);
        bench.Engine.Arm(block);
        bench.Engine.Start();
        for (var k = 0; k < 20; k++) bench.Fire();

        Assert.Equal(5, bench.Engine.DetectionCount);
        Assert.Equal(15, bench.Engine.DetectionsDropped);
    }

    [Fact]
    public void Engine_refuses_the_wrong_table_width_and_out_of_order_calls()
    {
        using var alice = new EngineBench(bob: false);
        Assert.Throws<ArgumentException>(() => alice.Engine.Arm(BobBlock(new byte[8], 1)));
        Assert.Throws<InvalidOperationException>(() => alice.Engine.Start());
        alice.Engine.Arm(AliceBlock(new byte[8]));
        alice.Engine.Start();
        Assert.Throws<InvalidOperationException>(() => alice.Engine.Arm(AliceBlock(new byte[8])));
        alice.Engine.Stop();
        Assert.Equal(PulseEngineState.Stopped, alice.Engine.State);
    }

    [Fact]
    public void Triggers_before_Start_are_ignored()
    {
        using var bench = new EngineBench(bob: false);
        var block = AliceBlock([3, 1, 2]);
        bench.Engine.Arm(block);
        bench.Fire();
        Assert.Equal(0, bench.Engine.PulsesDone);
        bench.Engine.Start();
        bench.Fire();
        Assert.Equal(3, bench.MuxCode);
        Assert.Equal(1, bench.Engine.PulsesDone);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steady_state_pulses_allocate_nothing_beyond_the_host_gpio_library(bool bob)
    {
        const int pulses = 20_000;
        using var bench = new EngineBench(bob);
        var block = bob
            ? BobBlock(RandomCodes(pulses, 2, seed: 8), detectionCapacity: pulses)
            : AliceBlock(RandomCodes(pulses, 4, seed: 8));
        bench.InjectClicks(RandomClicks(pulses, seed: 9));
        bench.Engine.Arm(block);
        bench.Engine.Start();
        for (var k = 0; k < 100; k++) bench.Fire(); // warm-up: JIT, first-call paths
        var hostBytesPerWriteBefore = bench.HostBytesPerPinWrite();
        var writesBefore = bench.FirmwareOutputEdges();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 100; k < pulses; k++) bench.Fire();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // .NET IoT's GpioController.Write allocates on the desktop (nanoFramework's native pin write
        // does not): measure that cost and require the engine to add nothing on top of it.
        var pinWrites = bench.FirmwareOutputEdges() - writesBefore;
        var libraryBytes = pinWrites * Math.Max(hostBytesPerWriteBefore, bench.HostBytesPerPinWrite());
        Assert.Equal(pulses, bench.Engine.PulsesDone);
        // 4 KiB of slack for one-off runtime allocations on this thread: far below one object per pulse.
        Assert.True(allocated <= libraryBytes + 4096,
            $"{allocated} bytes over {pulses - 100} pulses; the host GPIO library accounts for {libraryBytes} ({pinWrites} pin writes)");
    }

    private static PulseBlock AliceBlock(byte[] codes)
    {
        var block = new PulseBlock(PulseCodes.AliceBitsPerPulse, codes.Length, detectionCapacity: 0, missedCapacity: 64);
        for (var i = 0; i < codes.Length; i++) PulseCodes.Set(block.Codes, i, block.BitsPerPulse, codes[i]);
        return block;
    }

    private static PulseBlock BobBlock(byte[] basis, int detectionCapacity)
    {
        var block = new PulseBlock(PulseCodes.BobBitsPerPulse, basis.Length, detectionCapacity, missedCapacity: 64)
        {
            GateDelayNs = 30,
            GateWidthNs = 40,
        };
        for (var i = 0; i < basis.Length; i++) PulseCodes.Set(block.Codes, i, block.BitsPerPulse, basis[i]);
        return block;
    }

    private static byte[] RandomCodes(int count, int values, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (byte)random.Next(values)).ToArray();
    }

    /// <summary>About 5 % single clicks on either APD and 0.5 % double clicks.</summary>
    private static byte[] RandomClicks(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var r = random.NextDouble();
            return r < 0.005 ? DetectorCode.DoubleClick : r < 0.03 ? DetectorCode.Apd0 : r < 0.055 ? DetectorCode.Apd1 : DetectorCode.None;
        }).ToArray();
    }

    private sealed class EdgeCounter : ITriggerCounter
    {
        public long Count { get; set; }
    }
}
