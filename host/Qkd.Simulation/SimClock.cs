namespace Qkd.Simulation;

/// <summary>
/// Virtual time of a simulation, in nanoseconds. Models read it to place their state changes;
/// only the driver of a simulation (a test, the emulated board) moves it forward.
/// </summary>
public sealed class SimClock
{
    private long _nowNs;

    public SimClock(long startNs = 0)
    {
        if (startNs < 0) throw new ArgumentOutOfRangeException(nameof(startNs), startNs, "time cannot be negative");
        _nowNs = startNs;
    }

    /// <summary>Current virtual time in ns.</summary>
    public long NowNs => Interlocked.Read(ref _nowNs);

    /// <summary>Moves time forward by <paramref name="deltaNs"/> (>= 0) and returns the new time.</summary>
    public long Advance(long deltaNs)
    {
        if (deltaNs < 0) throw new ArgumentOutOfRangeException(nameof(deltaNs), deltaNs, "time only moves forward");
        return Interlocked.Add(ref _nowNs, deltaNs);
    }

    /// <summary>Moves time forward to <paramref name="timeNs"/>; a time in the past is refused.</summary>
    public void AdvanceTo(long timeNs)
    {
        var now = NowNs;
        if (timeNs < now) throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, $"time only moves forward (now {now} ns)");
        Advance(timeNs - now);
    }
}
