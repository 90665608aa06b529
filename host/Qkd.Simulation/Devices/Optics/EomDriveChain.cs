using Qkd.Simulation.Devices.Mux36D04;

namespace Qkd.Simulation.Devices.Optics;

/// <summary>
/// The analog path of one board: DAC outputs -> MUX -> HV amplifier -> EOM. <see cref="Sample"/> reads
/// the chain at the clock's current time; the caller advances the clock in steps short against the
/// amplifier's time constant (the amplifier integrates exactly only for an input held over the step).
/// </summary>
public sealed class EomDriveChain
{
    private readonly SimClock _clock;
    private readonly IAnalogOutputs _dac;
    private readonly Mux36D04Model _mux;

    public EomDriveChain(SimClock clock, IAnalogOutputs dac, Mux36D04Model mux, HvAmplifierModel amplifier, EomModel eom)
    {
        _clock = clock;
        _dac = dac;
        _mux = mux;
        Amplifier = amplifier;
        Eom = eom;
    }

    public HvAmplifierModel Amplifier { get; }

    public EomModel Eom { get; }

    /// <summary>Brings the amplifier and EOM to now; returns the EOM retardance in radians.</summary>
    public double Sample()
    {
        var now = _clock.NowNs;
        var volts = Amplifier.Step(_mux.OutputVolts(_dac), now);
        Eom.Apply(volts, now);
        return Eom.RetardanceRadians;
    }
}
