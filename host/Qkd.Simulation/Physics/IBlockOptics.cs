namespace Qkd.Simulation.Physics;

/// <summary>Receives one simulated detection: pulse index within the block and the APD latch code
/// (1 = APD0, 2 = APD1, 3 = double click; the firmware's DetectorCode values).</summary>
public delegate void DetectionSink(int pulse, byte detectorCode);

/// <summary>
/// The seam between the emulated boards and the photon physics. The emulated hardware-timed pulse
/// engines hand the optics one block; the optics sample only pulses where a detector may click
/// (event-driven) and ask for a pulse's MUX codes only there, so a block of 10^9 pulses costs little.
/// </summary>
public interface IBlockOptics
{
    /// <summary>
    /// The settled EOM voltage behind each MUX channel, from the emulated DAC, amplifier and board
    /// file: Alice's four (H, V, R, L order of the MUX codes) and Bob's two (basis 0, basis 1).
    /// A drifting amplifier gain shows up here and, through the EOM retardance, as QBER.
    /// </summary>
    void SetEomVoltages(ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts);

    /// <summary>
    /// Simulates pulses 0..pulseCount-1 of one block. <paramref name="aliceCode"/>(i) is Alice's MUX
    /// code of pulse i (0..3), <paramref name="bobBasis"/>(i) Bob's (0..1); both are called only for
    /// pulses that may click. Detections go to <paramref name="sink"/> in increasing pulse order.
    /// <paramref name="blockSeed"/> makes the block reproducible.
    /// </summary>
    void SimulateBlock(int pulseCount, Func<int, int> aliceCode, Func<int, int> bobBasis, ulong blockSeed, DetectionSink sink);
}
