using Qkd.Firmware.Bench;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// The firmware bench routine's clock on the emulated board: waiting for a trigger advances virtual
/// time in sample steps (the board samples the analog chain at each), then drives the laser trigger
/// wire high for a short pulse. The firmware's own actions take no virtual time, so its measured
/// trigger-to-MUX latency is 0 here: the emulator measures the analog settling instead.
/// </summary>
internal sealed class BenchEmulatedPacer(SimClock clock, long sampleNs, long triggerWidthNs, Action<bool> driveTrigger, Action sample, Action runEnded) : IBenchPacer
{
    private long _periodNs;
    private long _next;
    private long _triggerLowAt = long.MaxValue;

    public long NowNs => clock.NowNs;

    public void Begin(long periodNs)
    {
        _periodNs = periodNs;
        _next = clock.NowNs + periodNs;
    }

    public long WaitForTrigger()
    {
        var due = _next;
        AdvanceTo(due);
        driveTrigger(true);
        _triggerLowAt = due + Math.Min(triggerWidthNs, Math.Max(1, _periodNs / 2));
        _next = due + _periodNs;
        return due;
    }

    public void End()
    {
        AdvanceTo(_next); // one more period so the last state shows in the trace
        runEnded();
    }

    /// <summary>Lets time pass with the chain sampled (power-up settling, the tail of a run).</summary>
    public void AdvanceTo(long timeNs)
    {
        while (clock.NowNs < timeNs)
        {
            var now = clock.NowNs;
            var step = Math.Min(sampleNs, timeNs - now);
            if (_triggerLowAt > now && _triggerLowAt < now + step) step = _triggerLowAt - now;
            clock.Advance(step);
            if (clock.NowNs >= _triggerLowAt)
            {
                _triggerLowAt = long.MaxValue;
                driveTrigger(false);
            }
            sample();
        }
    }
}
