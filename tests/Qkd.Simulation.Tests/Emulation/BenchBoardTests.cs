using Qkd.Simulation.Emulation;
using Qkd.Simulation.Tests.Devices;
using Qkd.Simulation.Tests.Trace;
using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Tests.Emulation;

/// <summary>The firmware's bench routine on the emulated board: transitions, settle physics, the VCD.</summary>
public class BenchBoardTests
{
    [Fact]
    public void Alice_steps_through_all_twelve_ordered_transitions_and_each_settles()
    {
        var result = BenchBoard.Run(BenchSpecs.Alice(), 500_000);

        var pairs = result.Transitions.Select(t => (t.From, t.To)).ToList();
        Assert.Equal(12, pairs.Count);
        Assert.Equal(12, pairs.Distinct().Count());
        Assert.All(pairs, p => Assert.NotEqual(p.From, p.To));
        Assert.All(result.Transitions, t => Assert.True(t.Settled, $"{t.From}->{t.To} never settled"));
        // Never faster than the MUX break-before-make, never slower than a rail-to-rail slew plus the tail.
        Assert.All(result.Transitions, t => Assert.InRange(t.SettleNs, 100, 4_000));
        Assert.Equal(result.Measured.Count, result.FirmwareReport.Timings.Length);
    }

    [Fact]
    public void Bob_steps_through_both_transitions()
    {
        var result = BenchBoard.Run(BenchSpecs.Bob(), 500_000);

        Assert.Equal([(0, 1), (1, 0)], result.Transitions.Select(t => (t.From, t.To)).ToArray());
        Assert.All(result.Transitions, t => Assert.True(t.Settled));
        Assert.True(result.FeasibleAtRate, $"Bob's 87.5 V step should fit 2 us, worst {result.WorstSettleNs} ns");
    }

    [Fact]
    public void Bigger_voltage_steps_take_longer_and_the_worst_is_the_270_volt_swing()
    {
        var result = BenchBoard.Run(BenchSpecs.Alice(), 500_000);
        long Settle(int from, int to) => result.Transitions.Single(t => t.From == from && t.To == to).SettleNs;

        // channels (EOM volts): 0 H 180, 1 V 0, 2 R 90, 3 L -90
        Assert.True(Settle(0, 3) > Settle(0, 2), "270 V step slower than 90 V step");
        Assert.True(Settle(3, 0) > Settle(1, 2), "270 V step slower than 90 V step");
        Assert.Contains(result.WorstSettleNs, new[] { Settle(0, 3), Settle(3, 0) });
    }

    [Fact]
    public void A_slower_amplifier_slew_gives_longer_settling_and_a_lower_max_rate()
    {
        var fast = BenchBoard.Run(BenchSpecs.Alice(), 500_000, new BenchBoardOptions { SlewVoltsPerUs = 300 });
        var slow = BenchBoard.Run(BenchSpecs.Alice(), 500_000, new BenchBoardOptions { SlewVoltsPerUs = 75 });

        Assert.True(slow.WorstSettleNs > fast.WorstSettleNs + 1_000, $"slow {slow.WorstSettleNs} ns vs fast {fast.WorstSettleNs} ns");
        Assert.True(slow.MaxPulseRateHz < fast.MaxPulseRateHz);
        Assert.False(slow.FeasibleAtRate);
        Assert.Equal(1e9 / (slow.WorstSettleNs + slow.PulseMarginNs), slow.MaxPulseRateHz, 6);
    }

    [Fact]
    public void A_tighter_tolerance_takes_longer_to_reach()
    {
        var loose = BenchBoard.Run(BenchSpecs.Bob(), 500_000, new BenchBoardOptions { ToleranceRad = 0.1 });
        var tight = BenchBoard.Run(BenchSpecs.Bob(), 500_000, new BenchBoardOptions { ToleranceRad = 0.005 });

        Assert.All(loose.Transitions.Zip(tight.Transitions), p => Assert.True(p.Second.SettleNs > p.First.SettleNs));
    }

    [Fact]
    public void Each_transition_raises_scope_sync_once_and_the_mux_follows()
    {
        var trace = new RecordingTrace();
        var result = BenchBoard.Run(BenchSpecs.Alice(), 500_000, trace: trace);

        var syncRises = trace.DigitalChanges.Where(c => c.Signal == "scope_sync" && c.Value).Select(c => c.TimeNs).ToList();
        Assert.Equal(12, syncRises.Count);
        Assert.Equal(result.Measured.Select(m => m.TriggerNs), syncRises);
        var triggerRises = trace.DigitalChanges.Where(c => c.Signal == "trigger" && c.Value).Select(c => c.TimeNs).ToHashSet();
        Assert.All(syncRises, t => Assert.Contains(t, triggerRises)); // sync marks a trigger
        Assert.All(trace.DigitalChanges.Where(c => c.Signal.StartsWith("mux_a")), c => Assert.Equal("alice", c.Scope));
    }

    [Fact]
    public void The_vcd_has_the_board_scope_every_signal_and_a_moving_eom_voltage()
    {
        var text = new StringWriter();
        using (var vcd = new VcdWriter(text, leaveOpen: true))
        {
            BenchBoard.Run(BenchSpecs.Bob(), 500_000, trace: vcd);
        }

        var parsed = VcdReader.Parse(text.ToString());
        Assert.Equal("1 ns", parsed.Timescale);
        Assert.Equal(["bob"], parsed.Scopes);
        foreach (var signal in VcdWriter.BoardDigitalSignals)
            Assert.Contains(parsed.Vars, v => v.Scope == "bob" && v.Name == signal && v.Type == "wire");
        foreach (var signal in VcdWriter.BoardRealSignals)
            Assert.Contains(parsed.Vars, v => v.Scope == "bob" && v.Name == signal && v.Type == "real");
        var eom = parsed.Changes.Where(c => c.Name == "eom_v").Select(c => c.Value).ToList();
        Assert.InRange(eom.Max(), 87.0, 88.0); // RL = V_pi / 2 = 87.5 V reached
        Assert.Contains(parsed.Changes, c => c.Name == "dac_sclk");
        Assert.Equal(2, parsed.Changes.Count(c => c.Name == "scope_sync" && c.Value == 1));
    }
}
