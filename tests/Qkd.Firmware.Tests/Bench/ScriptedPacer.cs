using Qkd.Firmware.Bench;

namespace Qkd.Firmware.Tests.Bench;

/// <summary>A bench clock for tests: triggers on a grid; after each trigger "now" is the trigger plus a scripted firmware delay.</summary>
internal sealed class ScriptedPacer : IBenchPacer
{
    private long _next;
    private long _now = 1_000;

    public long PeriodNs { get; private set; }
    public int Triggers { get; private set; }
    public int Begins { get; private set; }
    public int Ends { get; private set; }

    /// <summary>Delay of the firmware after trigger number n (0-based), in ns.</summary>
    public Func<int, long> DelayAfterTrigger { get; set; } = _ => 0;

    /// <summary>Called at each trigger with its number, before the firmware acts on it.</summary>
    public Action<int>? OnTrigger { get; set; }

    public long NowNs => _now;

    public void Begin(long periodNs)
    {
        PeriodNs = periodNs;
        _next = _now + periodNs;
        Begins++;
    }

    public long WaitForTrigger()
    {
        var due = _next;
        var number = Triggers++;
        OnTrigger?.Invoke(number);
        _now = due + DelayAfterTrigger(number);
        _next = due + PeriodNs;
        return due;
    }

    public void End() => Ends++;
}
