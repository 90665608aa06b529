namespace Qkd.Simulation.Emulation;

/// <summary>One measured transition: EOM settling from the trigger (scope-sync edge) to staying within tolerance.</summary>
/// <param name="SettleNs">Trigger to the first sample after which the retardance stays within tolerance of its target.</param>
/// <param name="Settled">False when the retardance was still out of tolerance when the state changed again (SettleNs is then a lower bound).</param>
/// <param name="EomVolts">EOM voltage every <c>sampleNs</c> from the trigger on, for plots.</param>
public sealed record BenchMeasuredTransition(int From, int To, long TriggerNs, long SettleNs, bool Settled, double TargetVolts, double[] EomVolts);

/// <summary>
/// Watches the analog chain between the scope-sync edge of a measured transition and the next MUX
/// change: "settled" = the last out-of-tolerance sample plus one sample step. The target is the
/// retardance the chain settles to for the addressed channel (DAC target x gain, clamped), so static
/// calibration errors are not counted as settling.
/// </summary>
internal sealed class BenchSettleMeter(long sampleNs, double toleranceRad, long plotSpanNs)
{
    private readonly List<double> _volts = [];
    private bool _open;
    private long _triggerNs;
    private int _from;
    private int _to;
    private long _lastOutsideNs;
    private bool _lastSampleOutside;
    private double _targetVolts;

    public List<BenchMeasuredTransition> Measured { get; } = [];

    /// <summary>The scope-sync edge: a measured transition starts at <paramref name="triggerNs"/> from the addressed channel.</summary>
    public void Open(long triggerNs, int addressNow, double voltsNow)
    {
        if (_open) Close();
        _open = true;
        _triggerNs = triggerNs;
        _from = addressNow;
        _to = addressNow;
        _lastOutsideNs = triggerNs;
        _lastSampleOutside = true;
        _volts.Clear();
        _volts.Add(voltsNow);
    }

    /// <summary>A MUX address line changed: the measured write itself (same instant as the edge) or the next state.</summary>
    public void OnMuxAddress(long timeNs, int address)
    {
        if (!_open) return;
        if (timeNs == _triggerNs) _to = address;
        else Close();
    }

    public void Sample(long timeNs, double retardanceRad, double targetRad, double eomVolts, double targetVolts)
    {
        if (!_open) return;
        _targetVolts = targetVolts;
        _lastSampleOutside = Math.Abs(retardanceRad - targetRad) > toleranceRad;
        if (_lastSampleOutside) _lastOutsideNs = timeNs;
        if (timeNs - _triggerNs <= plotSpanNs) _volts.Add(eomVolts);
    }

    public void Close()
    {
        if (!_open) return;
        _open = false;
        var settle = Math.Max(0, _lastOutsideNs + sampleNs - _triggerNs);
        Measured.Add(new BenchMeasuredTransition(_from, _to, _triggerNs, settle, !_lastSampleOutside, _targetVolts, [.. _volts]));
    }
}
