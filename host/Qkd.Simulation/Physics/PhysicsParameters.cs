namespace Qkd.Simulation.Physics;

/// <summary>
/// Everything between Alice's source and Bob's APD latches except the EOM voltages (those come through
/// <see cref="IBlockOptics.SetEomVoltages"/>). <see cref="Validate"/> refuses absurd values.
/// </summary>
public sealed record PhysicsParameters
{
    /// <summary>Pulse (trigger) rate, Hz.</summary>
    public double ClockHz { get; init; } = 500_000;

    public PhotonSource Source { get; init; } = PhotonSource.SinglePhoton(0.012, 0.08);

    /// <summary>Free-space or fibre channel loss between Alice and Bob, dB (>= 0).</summary>
    public double ChannelLossDb { get; init; }

    /// <summary>Transmission of the optics other than the channel and the APDs (EOMs, PBS, coupling), in (0, 1].</summary>
    public double OpticsTransmission { get; init; } = 1.0;

    public DetectorParameters Detector { get; init; } = new();

    /// <summary>APD gate width, ns: sets the dark count probability per gate and where afterpulses count.</summary>
    public double GateWidthNs { get; init; } = 40;

    /// <summary>Alice's EOM half-wave voltage V_pi, volts.</summary>
    public double AliceHalfWaveVolts { get; init; } = 180;

    /// <summary>Bob's EOM half-wave voltage V_pi, volts.</summary>
    public double BobHalfWaveVolts { get; init; } = 175;

    /// <summary>
    /// Polarisation error independent of the EOM voltages (alignment, extinction, background): a detected
    /// photon takes the other PBS port with this probability, in [0, 0.5].
    /// </summary>
    public double MisalignmentProbability { get; init; }

    public double PeriodNs => 1e9 / ClockHz;

    /// <summary>Probability that one emitted photon reaches an APD and clicks it: channel x optics x detector.</summary>
    public double Transmittance => Math.Pow(10, -ChannelLossDb / 10) * OpticsTransmission * Detector.Efficiency;

    /// <summary>Dark count probability of one APD in one gate.</summary>
    public double DarkCountProbabilityPerGate => -PreciseMath.ExpMinusOne(-Detector.DarkCountsPerSecond * GateWidthNs * 1e-9);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first absurd parameter.</summary>
    public void Validate()
    {
        DetectorParameters.Require(ClockHz > 0 && ClockHz <= 1e11, nameof(ClockHz), ClockHz, "must be in (0, 1e11]");
        if (Source is null) throw new ArgumentNullException(nameof(Source), "a photon source is required");
        DetectorParameters.Require(ChannelLossDb >= 0 && double.IsFinite(ChannelLossDb), nameof(ChannelLossDb), ChannelLossDb, "must be >= 0 dB");
        DetectorParameters.Require(OpticsTransmission > 0 && OpticsTransmission <= 1, nameof(OpticsTransmission), OpticsTransmission, "must be in (0, 1]");
        if (Detector is null) throw new ArgumentNullException(nameof(Detector), "detector parameters are required");
        Detector.Validate();
        DetectorParameters.Require(GateWidthNs > 0 && GateWidthNs <= PeriodNs, nameof(GateWidthNs), GateWidthNs, $"must be in (0, period = {PeriodNs} ns]");
        DetectorParameters.Require(AliceHalfWaveVolts > 0 && double.IsFinite(AliceHalfWaveVolts), nameof(AliceHalfWaveVolts), AliceHalfWaveVolts, "must be > 0");
        DetectorParameters.Require(BobHalfWaveVolts > 0 && double.IsFinite(BobHalfWaveVolts), nameof(BobHalfWaveVolts), BobHalfWaveVolts, "must be > 0");
        DetectorParameters.Require(MisalignmentProbability >= 0 && MisalignmentProbability <= 0.5, nameof(MisalignmentProbability), MisalignmentProbability, "must be in [0, 0.5]");
    }

    /// <summary>Ideal-bench EOM voltages: Alice H, V, R, L = V_pi, 0, +V_pi/2, -V_pi/2; Bob basis 0, 1 = 0, V_pi/2.</summary>
    public double[] NominalAliceVolts() => [AliceHalfWaveVolts, 0, AliceHalfWaveVolts / 2, -AliceHalfWaveVolts / 2];

    /// <inheritdoc cref="NominalAliceVolts"/>
    public double[] NominalBobVolts() => [0, BobHalfWaveVolts / 2];
}
