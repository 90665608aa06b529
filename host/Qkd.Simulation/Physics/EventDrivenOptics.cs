namespace Qkd.Simulation.Physics;

/// <summary>
/// <see cref="IBlockOptics"/> by geometric skipping: the gaps between pulses where anything clicks
/// (photon or dark count) are drawn directly, so a block costs time per click, not per pulse. Dead
/// time and afterpulsing act on that click sequence (README.md: why this is exact). Not thread-safe:
/// one instance per emulated link.
/// </summary>
public sealed class EventDrivenOptics : IBlockOptics
{
    private const int PairCount = ClickTable.AliceCodes * ClickTable.BobBases;

    private readonly double[] _onlyApd0 = new double[PairCount];
    private readonly double[] _eitherSingle = new double[PairCount];
    private readonly double _periodNs;
    private readonly double _gateNs;
    private readonly double _deadNs;
    private readonly long _blindPulses; // pulses after a click in which the same APD is still dead
    private readonly double _afterpulseProbability;
    private readonly double _afterpulseDecayNs;
    private readonly AfterpulseQueue _afterpulses = new();
    private double _anyClick;
    private double _logNoClick;

    /// <summary>Starts with the ideal-bench voltages (<see cref="PhysicsParameters.NominalAliceVolts"/>).</summary>
    public EventDrivenOptics(PhysicsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _periodNs = parameters.PeriodNs;
        _gateNs = parameters.GateWidthNs;
        _deadNs = parameters.Detector.DeadTimeNs;
        _blindPulses = (long)Math.Ceiling(_deadNs / _periodNs) - 1;
        _afterpulseProbability = parameters.Detector.AfterpulseProbability;
        _afterpulseDecayNs = parameters.Detector.AfterpulseDecayNs;
        SetEomVoltages(parameters.NominalAliceVolts(), parameters.NominalBobVolts());
    }

    public PhysicsParameters Parameters { get; }

    /// <summary>The click probabilities for the voltages last set.</summary>
    public ClickTable Clicks { get; private set; } = null!;

    /// <summary>What happened in the last block (diagnostics and tests).</summary>
    public BlockStatistics LastBlock { get; private set; }

    public void SetEomVoltages(ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts)
    {
        var table = new ClickTable(Parameters, aliceChannelVolts, bobChannelVolts);
        for (int a = 0; a < ClickTable.AliceCodes; a++)
        {
            for (int b = 0; b < ClickTable.BobBases; b++)
            {
                int i = a * ClickTable.BobBases + b;
                _onlyApd0[i] = table.OnlyApd0(a, b);
                _eitherSingle[i] = table.OnlyApd0(a, b) + table.OnlyApd1(a, b);
            }
        }
        _anyClick = table.AnyClick;
        _logNoClick = _anyClick > 0 ? PreciseMath.LogOnePlus(-_anyClick) : 0;
        Clicks = table;
    }

    public void SimulateBlock(int pulseCount, Func<int, int> aliceCode, Func<int, int> bobBasis, ulong blockSeed, DetectionSink sink)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pulseCount);
        ArgumentNullException.ThrowIfNull(aliceCode);
        ArgumentNullException.ThrowIfNull(bobBasis);
        ArgumentNullException.ThrowIfNull(sink);
        var rng = new Xoshiro256StarStar(blockSeed);
        _afterpulses.Clear();
        long lastClick0 = long.MinValue / 2, lastClick1 = long.MinValue / 2;
        long nextPhysical = Skip(ref rng, -1);
        long lookups = 0, detections = 0, afterpulseClicks = 0, deadLosses = 0;
        while (true)
        {
            long pulse = Math.Min(nextPhysical, _afterpulses.NextPulse);
            if (pulse >= pulseCount) break;
            bool dead0 = pulse - lastClick0 <= _blindPulses, dead1 = pulse - lastClick1 <= _blindPulses;
            int clicks = 0;
            if (pulse == nextPhysical)
            {
                if (!(dead0 && dead1)) // a pulse where nothing can click needs no codes
                {
                    int a = aliceCode((int)pulse), b = bobBasis((int)pulse);
                    if ((uint)a >= ClickTable.AliceCodes || (uint)b >= ClickTable.BobBases)
                        throw new InvalidOperationException($"pulse {pulse}: Alice code {a} (0..3) or Bob basis {b} (0..1) out of range");
                    lookups++;
                    int pair = a * ClickTable.BobBases + b;
                    double u = rng.NextDouble() * _anyClick;
                    clicks = u < _onlyApd0[pair] ? 1 : u < _eitherSingle[pair] ? 2 : 3;
                }
                else
                {
                    deadLosses++; // a click was due, both APDs were dead
                }
                nextPhysical = Skip(ref rng, pulse);
            }
            int afterpulse = _afterpulses.TakeAt(pulse);
            if (afterpulse != 0 && (afterpulse & ~clicks) != 0) afterpulseClicks++;
            clicks |= afterpulse;
            int live = clicks & (dead0 ? 0 : 1) | clicks & (dead1 ? 0 : 2);
            if (live != clicks) deadLosses++;
            if (live == 0) continue;
            if ((live & 1) != 0) { lastClick0 = pulse; MaybeAfterpulse(ref rng, pulse, 1, pulseCount); }
            if ((live & 2) != 0) { lastClick1 = pulse; MaybeAfterpulse(ref rng, pulse, 2, pulseCount); }
            detections++;
            sink((int)pulse, (byte)live);
        }
        LastBlock = new BlockStatistics(pulseCount, detections, lookups, afterpulseClicks, deadLosses);
    }

    /// <summary>Index of the next pulse after <paramref name="after"/> where something clicks (dead time aside).</summary>
    private long Skip(ref Xoshiro256StarStar rng, long after)
    {
        if (_logNoClick == 0) return long.MaxValue; // nothing ever clicks
        double gap = Math.Log(rng.NextOpenClosed()) / _logNoClick; // geometric: floor(ln U / ln(1 - q))
        return gap >= int.MaxValue ? long.MaxValue : after + 1 + (long)gap;
    }

    private void MaybeAfterpulse(ref Xoshiro256StarStar rng, long pulse, int apd, long pulseCount)
    {
        if (_afterpulseProbability == 0 || rng.NextDouble() >= _afterpulseProbability) return;
        double delayNs = _deadNs - _afterpulseDecayNs * Math.Log(rng.NextOpenClosed());
        double periods = Math.Floor(delayNs / _periodNs);
        if (periods < 1 || periods >= pulseCount) return; // same gate (already clicked) or past the block
        if (delayNs - periods * _periodNs >= _gateNs) return; // between gates: the latch ignores it
        long at = pulse + (long)periods;
        if (at < pulseCount) _afterpulses.Add(at, apd);
    }
}

/// <summary>Counts from one simulated block.</summary>
/// <param name="Pulses">pulses simulated</param>
/// <param name="Detections">records sent to the sink</param>
/// <param name="CodeLookups">pulses for which the MUX codes were read</param>
/// <param name="AfterpulseClicks">records that an afterpulse created or extended to the other APD</param>
/// <param name="DeadTimeLosses">pulses where a due click (photon, dark count, afterpulse) met a dead APD</param>
public readonly record struct BlockStatistics(long Pulses, long Detections, long CodeLookups, long AfterpulseClicks, long DeadTimeLosses);
