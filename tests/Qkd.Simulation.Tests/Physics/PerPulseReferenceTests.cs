using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Tests.Physics;

/// <summary>
/// The event-driven optics against a plain per-pulse simulation of the same model (README steps 1-6),
/// written independently here: photon by photon, pulse by pulse. Skipping must not change the statistics.
/// </summary>
public class PerPulseReferenceTests
{
    private const double PeriodNs = 10, GateNs = 8, DeadNs = 25, AfterpulseP = 0.2, AfterpulseTauNs = 20;
    private const double Mu = 0.9, G2 = 0.2, Eta = 0.5, DarkPerGate = 5e-3, Misalignment = 0.03;

    private static readonly PhysicsParameters Bench = new()
    {
        ClockHz = 1e9 / PeriodNs,
        Source = PhotonSource.SinglePhoton(Mu, G2),
        OpticsTransmission = Eta,
        Detector = new DetectorParameters
        {
            Efficiency = 1.0, DarkCountsPerSecond = -Math.Log(1 - DarkPerGate) / (GateNs * 1e-9),
            DeadTimeNs = DeadNs, AfterpulseProbability = AfterpulseP, AfterpulseDecayNs = AfterpulseTauNs,
        },
        GateWidthNs = GateNs,
        MisalignmentProbability = Misalignment,
    };

    [Fact]
    public void Event_driven_counts_match_a_per_pulse_simulation_within_5_sigma()
    {
        const int pulses = 3_000_000;
        var table = new PhysicsRun(tableSeed: 21);
        var fast = PhysicsRun.Simulate(new EventDrivenOptics(Bench), pulses, blockSeed: 1, tableSeed: 21);
        var slow = PerPulse(pulses, table, new Random(2));

        for (byte code = 1; code <= 3; code++)
        {
            long a = fast.Count(code), b = slow[code];
            double p = (a + b) / (2.0 * pulses), sd = Math.Sqrt(2 * pulses * p * (1 - p));
            Assert.True(Math.Abs(a - b) <= 5 * sd, $"code {code}: event-driven {a}, per-pulse {b}, sd of the difference {sd:F0}");
        }
        Assert.True(fast.Count(3) > 1000); // the comparison covers double clicks too
    }

    /// <summary>Counts of detector codes 1, 2, 3 from a pulse-by-pulse simulation.</summary>
    private static long[] PerPulse(int pulses, PhysicsRun table, Random rng)
    {
        double p2 = G2 * Mu * Mu / 2, p1 = Mu - 2 * p2;
        double[] aliceGamma = [Math.PI, 0, Math.PI / 2, -Math.PI / 2], bobGamma = [0, Math.PI / 2];
        var counts = new long[4];
        var lastClick = new long[] { long.MinValue / 2, long.MinValue / 2 };
        var afterpulses = new List<(long Pulse, int Apd)>();
        for (long j = 0; j < pulses; j++)
        {
            double u = rng.NextDouble();
            int photons = u < p2 ? 2 : u < p2 + p1 ? 1 : 0;
            double half = (aliceGamma[table.AliceCodeQuiet((int)j)] + bobGamma[table.BobBasisQuiet((int)j)]) / 2;
            double toApd0 = Math.Sin(half) * Math.Sin(half);
            toApd0 = (1 - Misalignment) * toApd0 + Misalignment * (1 - toApd0);
            int fired = 0;
            for (int k = 0; k < photons; k++)
                if (rng.NextDouble() < Eta) fired |= rng.NextDouble() < toApd0 ? 1 : 2;
            if (rng.NextDouble() < DarkPerGate) fired |= 1;
            if (rng.NextDouble() < DarkPerGate) fired |= 2;
            foreach (var ap in afterpulses) if (ap.Pulse == j) fired |= ap.Apd;
            afterpulses.RemoveAll(ap => ap.Pulse <= j);
            int live = 0;
            for (int apd = 0; apd < 2; apd++)
            {
                int bit = 1 << apd;
                if ((fired & bit) == 0 || (j - lastClick[apd]) * PeriodNs < DeadNs) continue;
                live |= bit;
                lastClick[apd] = j;
                if (rng.NextDouble() >= AfterpulseP) continue;
                double delay = DeadNs - AfterpulseTauNs * Math.Log(1 - rng.NextDouble());
                long periods = (long)Math.Floor(delay / PeriodNs);
                if (periods >= 1 && delay - periods * PeriodNs < GateNs) afterpulses.Add((j + periods, bit));
            }
            counts[live]++;
        }
        return counts;
    }
}
