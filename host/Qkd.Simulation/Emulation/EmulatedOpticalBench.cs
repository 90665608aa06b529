using Qkd.Firmware.Engine;
using Qkd.Simulation.Physics;
using Qkd.Wire;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// The optical table between two emulated boards: Alice's and Bob's emulated hardware-timed engines
/// hand it their started blocks; when both blocks with the same number are here it runs
/// <see cref="IBlockOptics.SimulateBlock"/> on a worker thread, reading a pulse's MUX code from the
/// armed tables only where the optics ask, and writes Bob's detections into his block's buffers.
/// It also passes the EOM voltages (emulated DAC output x amplifier gain) to the optics.
/// </summary>
public sealed class EmulatedOpticalBench
{
    private readonly object _sync = new();
    private readonly IBlockOptics _optics;
    private readonly ulong _seed;
    private readonly Dictionary<uint, EmulatedHardwareTimedEngine.Run> _aliceWaiting = [];
    private readonly Dictionary<uint, EmulatedHardwareTimedEngine.Run> _bobWaiting = [];
    private double[]? _aliceVolts;
    private double[]? _bobVolts;

    public EmulatedOpticalBench(IBlockOptics optics, ulong seed)
    {
        _optics = optics ?? throw new ArgumentNullException(nameof(optics));
        _seed = seed;
    }

    /// <summary>Blocks simulated so far.</summary>
    public int BlocksSimulated { get; private set; }

    /// <summary>EOM volts per MUX channel last passed to the optics (null until both boards are configured).</summary>
    public (double[] Alice, double[] Bob)? EomVolts
    {
        get
        {
            lock (_sync) return _aliceVolts is null || _bobVolts is null ? null : (_aliceVolts, _bobVolts);
        }
    }

    /// <summary>A board (re)configured: its EOM volts per MUX channel. Passed on once both sides are known.</summary>
    public void SetChannelVolts(byte role, double[] volts)
    {
        lock (_sync)
        {
            if (role == BoardRole.Alice) _aliceVolts = (double[])volts.Clone();
            else _bobVolts = (double[])volts.Clone();
            if (_aliceVolts is null || _bobVolts is null) return;
            _optics.SetEomVoltages(_aliceVolts, _bobVolts);
        }
    }

    internal void Submit(EmulatedHardwareTimedEngine.Run run)
    {
        EmulatedHardwareTimedEngine.Run? alice, bob;
        lock (_sync)
        {
            var mine = run.IsBob ? _bobWaiting : _aliceWaiting;
            var theirs = run.IsBob ? _aliceWaiting : _bobWaiting;
            if (!theirs.Remove(run.BlockId, out var partner))
            {
                mine[run.BlockId] = run; // a newer run of the same number (board reset) replaces the old
                return;
            }
            alice = run.IsBob ? partner : run;
            bob = run.IsBob ? run : partner;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ => Simulate(alice, bob), null);
    }

    internal void Withdraw(EmulatedHardwareTimedEngine.Run run)
    {
        lock (_sync)
        {
            var mine = run.IsBob ? _bobWaiting : _aliceWaiting;
            if (mine.TryGetValue(run.BlockId, out var waiting) && ReferenceEquals(waiting, run)) mine.Remove(run.BlockId);
        }
    }

    private void Simulate(EmulatedHardwareTimedEngine.Run alice, EmulatedHardwareTimedEngine.Run bob)
    {
        var pulses = Math.Min(alice.Block.PulseCount, bob.Block.PulseCount);
        var aliceCodes = alice.Block.Codes;
        var bobCodes = bob.Block.Codes;
        try
        {
            _optics.SimulateBlock(pulses,
                i => PulseCodes.Get(aliceCodes, i, PulseCodes.AliceBitsPerPulse),
                i => PulseCodes.Get(bobCodes, i, PulseCodes.BobBitsPerPulse),
                BlockSeed(alice.BlockId), bob.Record);
        }
        finally
        {
            lock (_sync) BlocksSimulated++;
            alice.Finish(pulses);
            bob.Finish(pulses);
        }
    }

    private ulong BlockSeed(uint blockId)
    {
        // SplitMix64 output number blockId + 1 from the bench seed: reproducible per block, independent between blocks.
        var state = _seed + 0x9E3779B97F4A7C15UL * blockId;
        return Xoshiro256StarStar.SplitMix(ref state);
    }
}
