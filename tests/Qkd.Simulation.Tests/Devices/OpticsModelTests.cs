using Qkd.Simulation.Devices.Optics;

namespace Qkd.Simulation.Tests.Devices;

public class OpticsModelTests
{
    [Fact]
    public void Large_step_is_slew_limited()
    {
        var amp = new HvAmplifierModel(gain: 20, bandwidthHz: 1e6, slewVoltsPerUs: 150);
        amp.Step(0, 0);
        var v = amp.Step(9.0, 500); // target 180 V; 0.5 us at 150 V/us
        Assert.Equal(75.0, v, 6);
    }

    [Fact]
    public void Small_step_follows_the_bandwidth()
    {
        var amp = new HvAmplifierModel(gain: 20, bandwidthHz: 1e6, slewVoltsPerUs: 150);
        var tauNs = 1e9 / (2 * Math.PI * 1e6);
        var v = amp.Step(0.05, (long)Math.Round(tauNs)); // 1 V target, far below the slew knee
        Assert.Equal(1.0 - Math.Exp(-Math.Round(tauNs) / tauNs), v, 6);
    }

    [Fact]
    public void Output_is_clamped_at_the_rails()
    {
        var amp = new HvAmplifierModel(gain: 20, clampVolts: 200);
        Assert.Equal(200.0, amp.Step(12.0, 1_000_000), 6);
        Assert.Equal(-200.0, amp.Step(-15.0, 2_000_000), 6);
    }

    [Fact]
    public void Stepping_finely_or_coarsely_gives_the_same_output()
    {
        var coarse = new HvAmplifierModel();
        var fine = new HvAmplifierModel();
        var c = coarse.Step(9.0, 3_000);
        var f = 0.0;
        for (long t = 10; t <= 3_000; t += 10) f = fine.Step(9.0, t);
        Assert.Equal(c, f, 6);
        Assert.True(c > 170 && c < 180);
    }

    [Fact]
    public void Absurd_amplifier_parameters_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HvAmplifierModel(bandwidthHz: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HvAmplifierModel(slewVoltsPerUs: -1));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(180.0, Math.PI)]
    [InlineData(90.0, Math.PI / 2)]
    [InlineData(-90.0, -Math.PI / 2)]
    public void Eom_retardance_is_pi_v_over_v_pi(double volts, double gamma)
    {
        var eom = new EomModel(180.0);
        Assert.Equal(gamma, eom.RetardanceFor(volts), 12);
        Assert.Equal(volts, eom.VoltsFor(gamma), 9);
    }

    [Fact]
    public void Eom_voltage_is_traced_as_eom_v_when_it_changes()
    {
        var trace = new RecordingTrace();
        var eom = new EomModel(200.0, trace, "alice");
        eom.Apply(100.0, 50);
        eom.Apply(100.0, 60);
        eom.Apply(-100.0, 70);
        Assert.Equal([("alice", "eom_v", 50L, 100.0), ("alice", "eom_v", 70L, -100.0)], trace.RealChanges);
        Assert.Equal(-Math.PI / 2, eom.RetardanceRadians, 12);
    }
}
