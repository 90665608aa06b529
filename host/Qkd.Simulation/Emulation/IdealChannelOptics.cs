using Qkd.Simulation.Physics;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// A simple, exact stand-in for the photon physics (tests, and `qkd simulate` until the physics presets
/// land): each pulse is detected independently with probability <see cref="DetectionProbability"/>
/// (gaps drawn from the geometric distribution, so only detected pulses cost anything). A detection in
/// matching bases gives Alice's bit, flipped with probability <see cref="ErrorProbability"/>; in the
/// other basis a fair coin. A fraction <see cref="DoubleClickProbability"/> of detections are double clicks.
/// Ignores the EOM voltages (the physics helper's presets model them).
/// </summary>
public sealed class IdealChannelOptics(double detectionProbability, double errorProbability, double doubleClickProbability = 0) : IBlockOptics
{
    public double DetectionProbability { get; } = detectionProbability is > 0 and <= 1
        ? detectionProbability : throw new ArgumentOutOfRangeException(nameof(detectionProbability), "must lie in (0, 1]");

    public double ErrorProbability { get; } = errorProbability is >= 0 and <= 0.5
        ? errorProbability : throw new ArgumentOutOfRangeException(nameof(errorProbability), "must lie in [0, 0.5]");

    public double DoubleClickProbability { get; } = doubleClickProbability is >= 0 and < 1
        ? doubleClickProbability : throw new ArgumentOutOfRangeException(nameof(doubleClickProbability), "must lie in [0, 1)");

    public void SetEomVoltages(ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts)
    {
    }

    public void SimulateBlock(int pulseCount, Func<int, int> aliceCode, Func<int, int> bobBasis, ulong blockSeed, DetectionSink sink)
    {
        var random = new Random((int)(blockSeed ^ (blockSeed >> 32)));
        var logMiss = Math.Log(1 - DetectionProbability);
        long pulse = -1;
        while (true)
        {
            // Pulses up to the next detection: geometric with success probability p.
            var gap = DetectionProbability >= 1 ? 0 : (long)Math.Floor(Math.Log(1 - random.NextDouble()) / logMiss);
            pulse += gap + 1;
            if (pulse >= pulseCount) return;
            var i = (int)pulse;
            if (DoubleClickProbability > 0 && random.NextDouble() < DoubleClickProbability)
            {
                sink(i, 3);
                continue;
            }
            var alice = aliceCode(i);
            int bit;
            if ((alice >> 1) == bobBasis(i))
            {
                bit = alice & 1;
                if (random.NextDouble() < ErrorProbability) bit ^= 1;
            }
            else
            {
                bit = random.Next(2);
            }
            sink(i, (byte)(bit == 0 ? 1 : 2));
        }
    }
}
