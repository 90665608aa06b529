using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class SeamContractTests
{
    [Fact]
    public void Codes_are_read_only_for_pulses_that_click()
    {
        var parameters = PhysicsPresets.Get("hbn-2023").Parameters with
        {
            Detector = new DetectorParameters { Efficiency = 0.65, DarkCountsPerSecond = 500 }, // no dead time, no afterpulses
        };
        const int pulses = 20_000_000;
        var optics = new EventDrivenOptics(parameters);
        var run = PhysicsRun.Simulate(optics, pulses, blockSeed: 3, recordQueries: true);

        Assert.True(run.Pulses.Count > 40_000);
        Assert.Equal(run.Pulses.Count, run.AliceCalls);
        Assert.Equal(run.Pulses.Count, run.BobCalls);
        Assert.True(run.QueriedPulses.SetEquals(run.Pulses));
        Assert.Equal(run.AliceCalls, optics.LastBlock.CodeLookups);
    }

    [Fact]
    public void With_dead_time_codes_are_read_at_most_for_clicks_and_dead_time_losses()
    {
        var parameters = new PhysicsParameters
        {
            ClockHz = 100e6, Source = PhotonSource.SinglePhoton(0.9, 0.1), GateWidthNs = 5,
            Detector = new DetectorParameters { Efficiency = 0.9, DeadTimeNs = 45, AfterpulseProbability = 0.1, AfterpulseDecayNs = 30 },
        };
        var optics = new EventDrivenOptics(parameters);
        var run = PhysicsRun.Simulate(optics, 1_000_000, blockSeed: 4);
        var stats = optics.LastBlock;
        Assert.Equal(run.AliceCalls, stats.CodeLookups);
        Assert.True(stats.DeadTimeLosses > 0);
        Assert.True(run.AliceCalls <= stats.Detections + stats.DeadTimeLosses);
    }

    [Fact]
    public void Detections_come_in_increasing_pulse_order_inside_the_block()
    {
        var parameters = new PhysicsParameters
        {
            ClockHz = 100e6, Source = PhotonSource.WeakCoherent(2), GateWidthNs = 10,
            Detector = new DetectorParameters { Efficiency = 0.5, AfterpulseProbability = 0.5, AfterpulseDecayNs = 50 },
        };
        const int pulses = 300_000;
        var run = PhysicsRun.Simulate(new EventDrivenOptics(parameters), pulses, blockSeed: 5);
        Assert.True(run.Pulses.Count > 100_000);
        for (int k = 1; k < run.Pulses.Count; k++) Assert.True(run.Pulses[k] > run.Pulses[k - 1]);
        Assert.InRange(run.Pulses[^1], 0, pulses - 1);
        Assert.All(run.Codes, c => Assert.InRange(c, (byte)1, (byte)3));
    }

    [Fact]
    public void A_block_is_reproducible_for_its_seed()
    {
        var optics = PhysicsPresets.Get("qd-2024").CreateOptics();
        var first = PhysicsRun.Simulate(optics, 5_000_000, blockSeed: 42);
        var again = PhysicsRun.Simulate(optics, 5_000_000, blockSeed: 42);
        var other = PhysicsRun.Simulate(optics, 5_000_000, blockSeed: 43);
        Assert.Equal(first.Pulses, again.Pulses);
        Assert.Equal(first.Codes, again.Codes);
        Assert.NotEqual(first.Pulses, other.Pulses);
    }

    [Fact]
    public void Empty_block_calls_nothing()
    {
        var run = PhysicsRun.Simulate(PhysicsPresets.Get("qd-2024").CreateOptics(), 0, blockSeed: 1);
        Assert.Empty(run.Pulses);
        Assert.Equal(0, run.AliceCalls);
    }
}
