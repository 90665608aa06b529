using Qkd.Firmware.Bench;
using Qkd.Firmware.Roles;
using Qkd.Firmware.Tests.Roles;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Bench;

/// <summary>The firmware bench routine on the GPIO/DAC models with the real managed engine's pins.</summary>
public class BenchRoutineTests
{
    private const int ScopeSync = Boards.ScopeSync;

    // The routine takes every pin from the role's Configure: none is given here.
    private static BenchRoutine Routine(RoleRig rig, ScriptedPacer pacer) =>
        new(rig.Role, rig.Hardware.Gpio, pacer) { HoldNs = 10_000 };

    /// <summary>(from, to) as the MUX lines showed them around each scope-sync pulse.</summary>
    private static List<(int From, int To)> ObservedTransitions(RoleRig rig, ScriptedPacer pacer, bool alice)
    {
        var driver = rig.Hardware.Driver;
        int Address() => (alice && driver.IsHigh(Boards.MuxA1) ? 2 : 0) | (driver.IsHigh(Boards.MuxA0) ? 1 : 0);
        var seen = new List<(int, int)>();
        var from = -1;
        driver.AddListener(ScopeSync, (_, high, _) =>
        {
            if (high) from = Address();          // sync rises before the MUX is written: still "from"
            else seen.Add((from, Address()));     // falls one period later: "to" is on the lines
        });
        return seen;
    }

    [Fact]
    public void Alice_runs_all_twelve_ordered_transitions_with_one_scope_sync_pulse_each()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var pacer = new ScriptedPacer();
        var observed = ObservedTransitions(rig, pacer, alice: true);

        var report = Routine(rig, pacer).Run(new BenchRunMessage(500_000, 1, []));

        var expected = (from f in Enumerable.Range(0, 4) from t in Enumerable.Range(0, 4) where f != t select (f, t)).ToList();
        Assert.Equal(expected, report.Timings.Select(t => ((int)t.From, (int)t.To)).ToList());
        Assert.Equal(expected, observed);
        Assert.Equal(2_000, pacer.PeriodNs);
        Assert.Equal(500_000u, report.RateHz);
        Assert.Equal((1, 1), (pacer.Begins, pacer.Ends));
    }

    [Fact]
    public void Bob_runs_both_transitions_on_a0_only()
    {
        using var rig = new RoleRig(BoardRole.Bob, managedEngine: true).Configured();
        var pacer = new ScriptedPacer();
        var observed = ObservedTransitions(rig, pacer, alice: false);

        var report = Routine(rig, pacer).Run(new BenchRunMessage(250_000, 3, []));

        Assert.Equal([(0, 1), (1, 0)], report.Timings.Select(t => ((int)t.From, (int)t.To)).ToArray());
        Assert.Equal([(0, 1), (0, 1), (0, 1), (1, 0), (1, 0), (1, 0)], observed);
        Assert.Equal(3u, report.Repeats);
    }

    [Fact]
    public void Holds_each_state_for_the_hold_time_before_and_after_the_measured_step()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var pacer = new ScriptedPacer();
        Routine(rig, pacer).Run(new BenchRunMessage(1_000_000, 2, [0, 3, 3, 1]));

        // 10 us hold at 1 us period = 10 triggers before and 10 after each measured step.
        Assert.Equal(2 * 2 * 20, pacer.Triggers);
    }

    [Fact]
    public void Reports_the_firmwares_trigger_to_mux_latency_mean_and_worst()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var measuredTriggers = new List<int>();
        var pacer = new ScriptedPacer();
        rig.Hardware.Driver.AddListener(ScopeSync, (_, high, _) => { if (high) measuredTriggers.Add(pacer.Triggers - 1); });
        var latencyOfMeasured = new Queue<long>([300, 500, 1_000]);
        pacer.DelayAfterTrigger = n => n % 10 == 5 ? latencyOfMeasured.Dequeue() : 0; // 10 us hold = 5 triggers, then the measured one

        var report = Routine(rig, pacer).Run(new BenchRunMessage(500_000, 3, [2, 1]));

        var timing = Assert.Single(report.Timings);
        Assert.Equal([5, 15, 25], measuredTriggers); // the script delays exactly the measured triggers
        Assert.Equal(600u, timing.SettleNs);
        Assert.Equal(1_000u, timing.SettleMaxNs);
    }

    [Fact]
    public void Puts_the_mux_lines_back_as_the_engine_left_them()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var driver = rig.Hardware.Driver;
        Assert.False(driver.IsHigh(Boards.MuxEn));

        Routine(rig, new ScriptedPacer()).Run(new BenchRunMessage(500_000, 1, [1, 2]));

        Assert.False(driver.IsHigh(Boards.MuxEn));
        Assert.False(driver.IsHigh(Boards.MuxA0));
        Assert.False(driver.IsHigh(Boards.MuxA1));
        Assert.False(driver.IsHigh(ScopeSync));
    }

    [Theory]
    [InlineData(0u, 1u, new byte[] { 0, 1 }, "rate")]
    [InlineData(500_000u, 0u, new byte[] { 0, 1 }, "repeats")]
    [InlineData(500_000u, 1u, new byte[] { 2, 2 }, "2->2")]
    [InlineData(500_000u, 1u, new byte[] { 0, 4 }, "0->4")]
    [InlineData(500_000u, 1u, new byte[] { 0, 1, 2 }, "pairs")]
    public void Refuses_a_bad_request_with_the_reason(uint rate, uint repeats, byte[] transitions, string reason)
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var pacer = new ScriptedPacer();

        var refused = Assert.Throws<RoleException>(() => Routine(rig, pacer).Run(new BenchRunMessage(rate, repeats, transitions)));

        Assert.Equal(ErrorCode.BadPayload, refused.Code);
        Assert.Contains(reason, refused.Message);
        Assert.Equal(0, pacer.Triggers);
    }

    [Fact]
    public void Refuses_a_run_that_would_keep_the_board_off_the_link_too_long()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var pacer = new ScriptedPacer();

        // 100 Hz: hold = the minimum 2 triggers, 4 triggers = 40 ms per repeat; 12 x 5 repeats = 2.4 s.
        var refused = Assert.Throws<RoleException>(() => Routine(rig, pacer).Run(new BenchRunMessage(100, 5, [])));

        Assert.Contains("2400 ms", refused.Message);
        Assert.Equal(0, pacer.Triggers);
        Assert.Equal(12, Routine(rig, pacer).Run(new BenchRunMessage(100, 4, [])).Timings.Length); // 1.92 s is accepted
    }

    [Fact]
    public void Bob_refuses_alice_channels()
    {
        using var rig = new RoleRig(BoardRole.Bob, managedEngine: true).Configured();
        Assert.Throws<RoleException>(() => Routine(rig, new ScriptedPacer()).Run(new BenchRunMessage(500_000, 1, [0, 2])));
    }

    [Fact]
    public void Refuses_an_unconfigured_board()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true);
        var refused = Assert.Throws<RoleException>(() => Routine(rig, new ScriptedPacer()).Run(new BenchRunMessage(500_000, 1, [])));
        Assert.Equal(ErrorCode.BadState, refused.Code);
    }

    [Fact]
    public void The_scope_sync_output_is_the_pin_the_latest_configure_names()
    {
        using var rig = new RoleRig(BoardRole.Alice, managedEngine: true).Configured();
        var driver = rig.Hardware.Driver;
        var routine = Routine(rig, new ScriptedPacer());
        routine.Run(new BenchRunMessage(500_000, 1, [0, 1]));
        Assert.Equal(2, driver.EdgeCount(Boards.ScopeSync)); // one pulse: rise and fall

        var moved = Boards.Configure(BoardRole.Alice);
        moved.ScopeSyncPin = 2;
        rig.Role.Configure(moved);
        routine.Run(new BenchRunMessage(500_000, 1, [0, 1]));

        Assert.Equal(2, driver.EdgeCount(2));
        Assert.Equal(2, driver.EdgeCount(Boards.ScopeSync));
        Assert.False(driver.IsOpen(Boards.ScopeSync)); // the old output was released
    }

    [Fact]
    public void All_transitions_lists_every_ordered_pair_once()
    {
        Assert.Equal(24, BenchRoutine.AllTransitions(4).Length);
        Assert.Equal([0, 1, 1, 0], BenchRoutine.AllTransitions(2));
    }
}
