using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class ParameterValidationTests
{
    private static readonly PhysicsParameters Good = PhysicsPresets.Get("hbn-2023").Parameters;

    public static TheoryData<string, PhysicsParameters> Absurd() => new()
    {
        { "Efficiency", Good with { Detector = Good.Detector with { Efficiency = 1.2 } } },
        { "Efficiency", Good with { Detector = Good.Detector with { Efficiency = 0 } } },
        { "DarkCountsPerSecond", Good with { Detector = Good.Detector with { DarkCountsPerSecond = -1 } } },
        { "DeadTimeNs", Good with { Detector = Good.Detector with { DeadTimeNs = double.NaN } } },
        { "AfterpulseProbability", Good with { Detector = Good.Detector with { AfterpulseProbability = 1 } } },
        { "ClockHz", Good with { ClockHz = -500_000 } },
        { "ChannelLossDb", Good with { ChannelLossDb = -3 } },
        { "OpticsTransmission", Good with { OpticsTransmission = 1.5 } },
        { "GateWidthNs", Good with { GateWidthNs = 3000 } },
        { "AliceHalfWaveVolts", Good with { AliceHalfWaveVolts = 0 } },
        { "MisalignmentProbability", Good with { MisalignmentProbability = 0.7 } },
    };

    [Theory]
    [MemberData(nameof(Absurd))]
    public void Absurd_parameters_are_refused_by_name(string name, PhysicsParameters parameters)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EventDrivenOptics(parameters));
        Assert.Equal(name, ex.ParamName);
    }

    [Theory]
    [InlineData(-0.1, 0.1)]
    [InlineData(1.5, 0.1)]
    [InlineData(0.5, -0.1)]
    [InlineData(0.5, 3)]
    public void Absurd_single_photon_sources_are_refused(double mu, double g2) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PhotonSource.SinglePhoton(mu, g2));

    [Fact]
    public void Negative_coherent_mean_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PhotonSource.WeakCoherent(-1));

    [Fact]
    public void Wrong_voltage_counts_and_non_finite_voltages_are_refused()
    {
        var optics = new EventDrivenOptics(Good);
        Assert.Throws<ArgumentException>(() => optics.SetEomVoltages([1.0, 2.0, 3.0], [0.0, 87.5]));
        Assert.Throws<ArgumentException>(() => optics.SetEomVoltages([180.0, 0, 90, -90], [0.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => optics.SetEomVoltages([180.0, double.NaN, 90, -90], [0.0, 87.5]));
    }

    [Fact]
    public void Out_of_range_codes_from_the_tables_are_refused()
    {
        var optics = new EventDrivenOptics(Good);
        var ex = Assert.Throws<InvalidOperationException>(() => optics.SimulateBlock(10_000_000, _ => 4, _ => 0, 1, (_, _) => { }));
        Assert.Contains("Alice code 4", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => optics.SimulateBlock(-1, _ => 0, _ => 0, 1, (_, _) => { }));
    }
}
