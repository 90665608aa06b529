using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Devices.Optics;

/// <summary>
/// Electro-optic modulator used as a variable wave plate at 45 degrees: retardance Gamma = pi V / V_pi.
/// Alice: Gamma 0 = V, pi = H, +pi/2 = R, -pi/2 = L. The applied voltage is traced as "eom_v".
/// </summary>
public sealed class EomModel
{
    private readonly ISignalTrace? _trace;
    private readonly string _scope;

    public EomModel(double halfWaveVolts, ISignalTrace? trace = null, string scope = "board")
    {
        if (!(halfWaveVolts > 0)) throw new ArgumentOutOfRangeException(nameof(halfWaveVolts), halfWaveVolts, "V_pi must be positive");
        HalfWaveVolts = halfWaveVolts;
        _trace = trace;
        _scope = scope;
    }

    /// <summary>V_pi: a calibration constant (order of 100 to 300 V near 650 nm).</summary>
    public double HalfWaveVolts { get; }

    public double Volts { get; private set; }

    public double RetardanceRadians => RetardanceFor(Volts);

    public double RetardanceFor(double volts) => Math.PI * volts / HalfWaveVolts;

    public double VoltsFor(double retardanceRadians) => retardanceRadians * HalfWaveVolts / Math.PI;

    /// <summary>Sets the voltage across the crystal at <paramref name="timeNs"/>; traced when it changes.</summary>
    public void Apply(double volts, long timeNs)
    {
        if (volts == Volts) return;
        Volts = volts;
        _trace?.Real(_scope, "eom_v", timeNs, volts);
    }
}
