namespace Qkd.Simulation.Devices.Optics;

/// <summary>
/// High-voltage amplifier (HVA200 class): gain, first-order bandwidth, slew limit, output clamp.
/// <see cref="Step"/> integrates exactly for an input held constant since the last step: slew-limited
/// while the first-order rate would exceed the slew rate, exponential after. No allocation.
/// </summary>
public sealed class HvAmplifierModel
{
    private readonly double _tauNs;
    private readonly double _slewVoltsPerNs;
    private long _timeNs;

    /// <param name="gain">V/V, about 20 (verify).</param>
    /// <param name="bandwidthHz">-3 dB small-signal bandwidth (verify on the bench).</param>
    /// <param name="slewVoltsPerUs">slew limit (verify on the bench).</param>
    /// <param name="clampVolts">output rail, +-200 V.</param>
    public HvAmplifierModel(double gain = 20.0, double bandwidthHz = 1.0e6, double slewVoltsPerUs = 150.0, double clampVolts = 200.0, long startNs = 0)
    {
        if (!(bandwidthHz > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidthHz), bandwidthHz, "bandwidth must be positive");
        if (!(slewVoltsPerUs > 0)) throw new ArgumentOutOfRangeException(nameof(slewVoltsPerUs), slewVoltsPerUs, "slew rate must be positive");
        if (!(clampVolts > 0)) throw new ArgumentOutOfRangeException(nameof(clampVolts), clampVolts, "clamp must be positive");
        Gain = gain;
        BandwidthHz = bandwidthHz;
        SlewVoltsPerUs = slewVoltsPerUs;
        ClampVolts = clampVolts;
        _tauNs = 1e9 / (2 * Math.PI * bandwidthHz);
        _slewVoltsPerNs = slewVoltsPerUs / 1000.0;
        _timeNs = startNs;
    }

    public double Gain { get; }

    public double BandwidthHz { get; }

    public double SlewVoltsPerUs { get; }

    public double ClampVolts { get; }

    public double OutputVolts { get; private set; }

    /// <summary>Advances to <paramref name="nowNs"/> with <paramref name="inputVolts"/> held since the last step; returns the output.</summary>
    public double Step(double inputVolts, long nowNs)
    {
        var dt = (double)(nowNs - _timeNs);
        if (dt <= 0) return OutputVolts;
        _timeNs = nowNs;
        var target = Math.Clamp(Gain * inputVolts, -ClampVolts, ClampVolts);
        var error = target - OutputVolts;
        var sign = Math.Sign(error);
        var remaining = Math.Abs(error);
        var knee = _slewVoltsPerNs * _tauNs; // above this error the first-order rate exceeds the slew limit
        if (remaining > knee)
        {
            var slewTime = (remaining - knee) / _slewVoltsPerNs;
            if (dt <= slewTime)
            {
                OutputVolts += sign * _slewVoltsPerNs * dt;
                return OutputVolts;
            }
            dt -= slewTime;
            remaining = knee;
        }
        OutputVolts = target - sign * remaining * Math.Exp(-dt / _tauNs);
        return OutputVolts;
    }

    /// <summary>Sets the output directly (power-on state, test setup).</summary>
    public void Reset(double outputVolts, long nowNs)
    {
        OutputVolts = Math.Clamp(outputVolts, -ClampVolts, ClampVolts);
        _timeNs = nowNs;
    }
}
