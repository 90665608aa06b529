using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

public class DetectorEffectTests
{
    /// <summary>A bright, fast, noiseless bench: 100 MHz, single photons, no dark counts, no misalignment.</summary>
    private static PhysicsParameters Bright(double mu = 0.9, double g2 = 0, double transmission = 0.5) => new()
    {
        ClockHz = 100e6,
        Source = PhotonSource.SinglePhoton(mu, g2),
        OpticsTransmission = transmission,
        Detector = new DetectorParameters { Efficiency = 1.0 },
        GateWidthNs = 5,
    };

    [Fact]
    public void G2_raises_the_double_click_rate()
    {
        const int pulses = 2_000_000;
        var pure = PhysicsRun.Simulate(new EventDrivenOptics(Bright(g2: 0, transmission: 0.9)), pulses, blockSeed: 1);
        Assert.Equal(0, pure.Count(3)); // one photon and no dark counts can never fire both APDs

        var noisy = Bright(g2: 0.2, transmission: 0.9);
        var expected = new EventDrivenOptics(noisy).Clicks.Expectation();
        var run = PhysicsRun.Simulate(new EventDrivenOptics(noisy), pulses, blockSeed: 1);
        Assert.True(expected.DoubleClickProbability > 0.01);
        Stat.WithinSigma(run.Count(3), pulses, expected.DoubleClickProbability, what: "double clicks");
    }

    [Fact]
    public void Weak_coherent_pulses_double_click_as_poisson_predicts()
    {
        const int pulses = 2_000_000;
        var wcp = Bright() with { Source = PhotonSource.WeakCoherent(0.9) };
        var expected = new EventDrivenOptics(wcp).Clicks.Expectation();
        var run = PhysicsRun.Simulate(new EventDrivenOptics(wcp), pulses, blockSeed: 2);
        // two APDs split a Poisson(mu eta) photon number in the mismatched bases
        double mismatched = 1 - Math.Exp(-0.9 * 0.5 / 2);
        Assert.Equal(0.5 * mismatched * mismatched, expected.DoubleClickProbability, 12);
        Stat.WithinSigma(run.Count(3), pulses, expected.DoubleClickProbability, what: "double clicks");
        Stat.WithinSigma(run.Pulses.Count, pulses, expected.DetectionProbability, what: "detections");
    }

    [Fact]
    public void Dead_time_blinds_an_apd_in_the_gates_right_after_its_click()
    {
        // 25 ns dead time at a 10 ns period: the APD misses the next two gates, not the third.
        var withDeadTime = Bright() with { Detector = new DetectorParameters { Efficiency = 1.0, DeadTimeNs = 25 } };
        var dead = SameApdFollowers(PhysicsRun.Simulate(new EventDrivenOptics(withDeadTime), 1_000_000, blockSeed: 5), 3);
        Assert.Equal(0, dead[1]);
        Assert.Equal(0, dead[2]);
        Assert.True(dead[3] > 10_000, $"gap 3: {dead[3]}");

        var live = SameApdFollowers(PhysicsRun.Simulate(new EventDrivenOptics(Bright()), 1_000_000, blockSeed: 5), 3);
        Assert.True(live[1] > 10_000, $"gap 1 without dead time: {live[1]}");
    }

    [Fact]
    public void Afterpulsing_raises_clicks_right_after_a_click()
    {
        // Faint light (about 1e-3 clicks per pulse), gate = period so every afterpulse falls in a gate.
        var faint = Bright(mu: 0.02, transmission: 0.1) with { GateWidthNs = 10 };
        var afterpulsing = faint with { Detector = new DetectorParameters { Efficiency = 1.0, AfterpulseProbability = 0.3, AfterpulseDecayNs = 20 } };
        const int pulses = 50_000_000;

        var quiet = PhysicsRun.Simulate(new EventDrivenOptics(faint), pulses, blockSeed: 9);
        var noisy = PhysicsRun.Simulate(new EventDrivenOptics(afterpulsing), pulses, blockSeed: 9);
        double quietFollow = ShareFollowedWithin(quiet, 10);
        double noisyFollow = ShareFollowedWithin(noisy, 10);

        // P(afterpulse 1..10 periods later) = 0.3 (e^-0.5 - e^-5.5) = 0.1807, plus ~10 x 1e-3 / 2 of light: 0.189
        Assert.InRange(noisyFollow, 0.175, 0.205);
        Assert.True(quietFollow < 0.01, $"without afterpulsing {quietFollow}");
    }

    [Fact]
    public void Afterpulses_between_gates_are_not_registered()
    {
        var faint = Bright(mu: 0.02, transmission: 0.1);
        var fullGate = faint with { GateWidthNs = 10, Detector = new DetectorParameters { Efficiency = 1.0, AfterpulseProbability = 0.5, AfterpulseDecayNs = 20 } };
        var halfGate = fullGate with { GateWidthNs = 5 };
        var full = new EventDrivenOptics(fullGate);
        var half = new EventDrivenOptics(halfGate);
        full.SimulateBlock(20_000_000, _ => 0, _ => 1, 4, (_, _) => { });
        half.SimulateBlock(20_000_000, _ => 0, _ => 1, 4, (_, _) => { });
        double fullRate = (double)full.LastBlock.AfterpulseClicks / full.LastBlock.Detections;
        double halfRate = (double)half.LastBlock.AfterpulseClicks / half.LastBlock.Detections;
        Assert.True(halfRate < 0.75 * fullRate, $"afterpulse share: gate 10 ns {fullRate}, gate 5 ns {halfRate}");
        Assert.True(halfRate > 0.25 * fullRate, $"afterpulse share: gate 10 ns {fullRate}, gate 5 ns {halfRate}");
    }

    /// <summary>Share of clicks followed by at least one click of the same APD within <paramref name="gaps"/> pulses.</summary>
    private static double ShareFollowedWithin(PhysicsRun run, int gaps)
    {
        long followed = 0;
        for (int k = 0; k < run.Pulses.Count; k++)
        {
            for (int j = k + 1; j < run.Pulses.Count && run.Pulses[j] - run.Pulses[k] <= gaps; j++)
            {
                if ((run.Codes[j] & run.Codes[k]) == 0) continue;
                followed++;
                break;
            }
        }
        return (double)followed / run.Pulses.Count;
    }

    /// <summary>followers[g] = clicks of the same APD exactly g pulses after a click (g = 1..maxGap).</summary>
    private static long[] SameApdFollowers(PhysicsRun run, int maxGap)
    {
        var followers = new long[maxGap + 1];
        for (int k = 0; k < run.Pulses.Count; k++)
        {
            for (int j = k + 1; j < run.Pulses.Count && run.Pulses[j] - run.Pulses[k] <= maxGap; j++)
                if ((run.Codes[j] & run.Codes[k]) != 0) followers[run.Pulses[j] - run.Pulses[k]]++;
        }
        followers[0] = 0;
        return followers;
    }
}
