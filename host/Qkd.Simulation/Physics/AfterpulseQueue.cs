namespace Qkd.Simulation.Physics;

/// <summary>
/// Pending afterpulses, sorted by pulse index. Almost always empty or one entry; the arrays grow only
/// in the (practically unreachable) case of many afterpulses pending at once.
/// </summary>
internal sealed class AfterpulseQueue
{
    private long[] _pulses = new long[16];
    private int[] _apds = new int[16];
    private int _count;

    /// <summary>The earliest pending pulse, or long.MaxValue.</summary>
    public long NextPulse => _count == 0 ? long.MaxValue : _pulses[0];

    public void Clear() => _count = 0;

    public void Add(long pulse, int apdMask)
    {
        if (_count == _pulses.Length)
        {
            Array.Resize(ref _pulses, _count * 2);
            Array.Resize(ref _apds, _count * 2);
        }
        int i = _count++;
        while (i > 0 && _pulses[i - 1] > pulse)
        {
            _pulses[i] = _pulses[i - 1];
            _apds[i] = _apds[i - 1];
            i--;
        }
        _pulses[i] = pulse;
        _apds[i] = apdMask;
    }

    /// <summary>Removes the afterpulses due at <paramref name="pulse"/>; returns their APD mask (0 if none).</summary>
    public int TakeAt(long pulse)
    {
        int mask = 0, taken = 0;
        while (taken < _count && _pulses[taken] == pulse) mask |= _apds[taken++];
        if (taken == 0) return 0;
        Array.Copy(_pulses, taken, _pulses, 0, _count - taken);
        Array.Copy(_apds, taken, _apds, 0, _count - taken);
        _count -= taken;
        return mask;
    }
}
