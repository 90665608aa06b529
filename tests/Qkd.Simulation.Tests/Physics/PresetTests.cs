using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class PresetTests
{
    [Theory]
    [InlineData("hbn-2023", 100_000_000)]
    [InlineData("qd-2024", 100_000_000)]
    public void Detection_rate_and_qber_lie_within_5_sigma_of_the_expectation(string name, int pulses)
    {
        var preset = PhysicsPresets.Get(name);
        var expected = preset.Expectation;
        var run = PhysicsRun.Simulate(preset.CreateOptics(), pulses, blockSeed: 11);

        Stat.WithinSigma(run.Pulses.Count, pulses, expected.DetectionProbability, what: "detections");
        Stat.WithinSigma(run.Count(3), pulses, expected.DoubleClickProbability, what: "double clicks");
        var (sifted, errors) = run.Sift();
        Stat.WithinSigma(sifted, pulses, expected.SiftedProbability, what: "sifted");
        Stat.WithinSigma(errors, sifted, expected.Qber, what: "errors among sifted");
    }

    [Fact]
    public void Hbn_2023_gives_about_1500_counts_per_second_and_qber_near_6_percent()
    {
        var preset = PhysicsPresets.Get("hbn-2023");
        Assert.Equal(500_000, preset.Parameters.ClockHz);
        double countsPerSecond = preset.Expectation.DetectionProbability * preset.Parameters.ClockHz;
        Assert.InRange(countsPerSecond, 1400, 1600); // paper: "a detection rate of ~1500 cts/s"
        Assert.InRange(preset.Expectation.Qber, 0.055, 0.065);
        Assert.Equal(0.08 * 0.012 * 0.012 / 2, preset.Expectation.MultiPhotonEmissionProbability, 15); // p2 = g2 mu^2 / 2
    }

    [Fact]
    public void Qd_2024_qber_is_near_its_2_54_percent_misalignment()
    {
        var preset = PhysicsPresets.Get("qd-2024");
        Assert.InRange(preset.Expectation.Qber, 0.0250, 0.0262);
        var run = PhysicsRun.Simulate(preset.CreateOptics(), 50_000_000, blockSeed: 3);
        var (sifted, errors) = run.Sift();
        Assert.InRange((double)errors / sifted, 0.023, 0.028);
        // eta = 10^-1.46 x 0.6 x 0.712 = 0.014813 (qkd-math.md vector)
        Assert.Equal(0.014813, preset.Parameters.Transmittance, 6);
        Assert.Equal(1.47e-7, 2 * preset.Parameters.DarkCountProbabilityPerGate, 9); // table 1 p_DC

        // By hand: p1 eta + p2 (1 - (1-eta)^2), then two APDs' dark counts on the remainder.
        double mu = 0.292, g2 = 0.00698, eta = preset.Parameters.Transmittance, dark = 43 * 3.42e-9 / 2;
        double p2 = g2 * mu * mu / 2, p1 = mu - 2 * p2;
        double light = p1 * eta + p2 * (1 - (1 - eta) * (1 - eta));
        double expected = 1 - (1 - light) * (1 - dark) * (1 - dark);
        Assert.Equal(expected, preset.Expectation.DetectionProbability, 12);
    }

    [Fact]
    public void Presets_give_ideal_bench_voltages_matching_the_board_files()
    {
        var preset = PhysicsPresets.Get("HBN-2023");
        Assert.Equal([180.0, 0.0, 90.0, -90.0], preset.AliceNominalVolts); // boards/alice-esp32.json channels
        Assert.Equal([0.0, 87.5], preset.BobNominalVolts);                 // boards/bob-esp32.json channels
    }

    [Fact]
    public void Unknown_preset_is_refused_naming_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => PhysicsPresets.Get("hbn-2024"));
        Assert.Contains("hbn-2023", ex.Message);
        Assert.Contains("qd-2024", ex.Message);
    }
}
