using Qkd.Simulation.Devices.Optics;
using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class PolarisationDriftTests
{
    // Noiseless single photons: every error comes from the EOM voltages.
    private static readonly PhysicsParameters Clean = new()
    {
        ClockHz = 100e6,
        Source = PhotonSource.SinglePhoton(0.5, 0),
        Detector = new DetectorParameters { Efficiency = 0.8 },
        GateWidthNs = 5,
        AliceHalfWaveVolts = 180,
        BobHalfWaveVolts = 175,
    };

    [Fact]
    public void Ideal_voltages_give_no_errors_at_all()
    {
        var run = PhysicsRun.Simulate(new EventDrivenOptics(Clean), 2_000_000, blockSeed: 1);
        var (sifted, errors) = run.Sift();
        Assert.True(sifted > 100_000);
        Assert.Equal(0, errors);
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(-0.15)]
    public void Drifting_amplifier_gain_raises_qber_by_the_cos2_law(double drift)
    {
        // DAC writes nominal / 20; Alice's amplifier gain has drifted to 20 (1 + drift); Bob's is exact.
        var optics = new EventDrivenOptics(Clean);
        var amplifier = new HvAmplifierModel(gain: 20 * (1 + drift));
        double[] nominal = Clean.NominalAliceVolts();
        var atEom = new double[4];
        for (int code = 0; code < 4; code++)
        {
            amplifier.Reset(0, 0);
            atEom[code] = amplifier.Step(nominal[code] / 20, 1_000_000_000); // settled after 1 s
        }
        optics.SetEomVoltages(atEom, Clean.NominalBobVolts());

        // Retardance error d = drift x Gamma_nominal; P(right port) = cos^2(d / 2) for each of H, V, R, L.
        double[] gamma = [Math.PI, 0, Math.PI / 2, -Math.PI / 2];
        double expectedQber = gamma.Average(g => 1 - Math.Pow(Math.Cos(drift * g / 2), 2));
        Assert.Equal(expectedQber, optics.Clicks.Expectation().Qber, 9);

        const int pulses = 4_000_000;
        var run = PhysicsRun.Simulate(optics, pulses, blockSeed: 2);
        var (sifted, errors) = run.Sift();
        Stat.WithinSigma(errors, sifted, expectedQber, what: "errors among sifted");
        Assert.True(errors > 1000);
    }

    [Fact]
    public void Mismatched_bases_split_evenly_between_the_apds()
    {
        var clicks = new EventDrivenOptics(Clean).Clicks;
        for (int code = 0; code < 4; code++)
        {
            int mismatched = 1 - (code >> 1);
            Assert.Equal(0.5, clicks.PhotonToApd0(code, mismatched), 12);
            Assert.Equal((code & 1) == 0 ? 1.0 : 0.0, clicks.PhotonToApd0(code, code >> 1), 12);
        }
    }
}
