using Qkd.Firmware.Engine;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// The board emulator's model of the hardware-timed (timer + DMA) pulse engine: zero CPU per pulse.
/// <see cref="Start"/> hands the armed block to the shared <see cref="EmulatedOpticalBench"/>, which
/// pairs it with the other board's block of the same number and lets the optics fill Bob's detection
/// buffers; the engine completes when the bench is done. Pulses beyond the shorter of the two blocks
/// count as missed (no partner pulse: the tables disagree).
/// </summary>
public sealed class EmulatedHardwareTimedEngine : IPulseEngine
{
    private readonly object _sync = new();
    private readonly EmulatedOpticalBench _bench;
    private readonly bool _isBob;
    private readonly Func<PulseBlock, uint> _blockNumberOf;
    private PulseBlock? _block;
    private Run? _run;
    private int _state;
    private int _pulsesDone;
    private int _missed;
    private int _detections;
    private int _dropped;

    /// <param name="blockNumberOf">The host's block number of an armed block (the bench pairs blocks by it).</param>
    /// <param name="maxRateHz">Reported as <see cref="MeasuredMaxRateHz"/>: the emulated board's MaxPulseRateHz.</param>
    public EmulatedHardwareTimedEngine(EmulatedOpticalBench bench, bool isBob, Func<PulseBlock, uint> blockNumberOf, double maxRateHz)
    {
        _bench = bench ?? throw new ArgumentNullException(nameof(bench));
        _isBob = isBob;
        _blockNumberOf = blockNumberOf ?? throw new ArgumentNullException(nameof(blockNumberOf));
        MeasuredMaxRateHz = maxRateHz;
    }

    public event PulseBlockCompletedHandler? BlockCompleted;

    public PulseEngineState State => (PulseEngineState)Volatile.Read(ref _state);
    public int PulsesDone => Volatile.Read(ref _pulsesDone);
    public int MissedTriggers => Volatile.Read(ref _missed);
    public int DetectionCount => Volatile.Read(ref _detections);
    public int DetectionsDropped => Volatile.Read(ref _dropped);
    public double MeasuredMaxRateHz { get; }

    public void Arm(PulseBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var bits = _isBob ? PulseCodes.BobBitsPerPulse : PulseCodes.AliceBitsPerPulse;
        if (block.BitsPerPulse != bits) throw new ArgumentException($"this engine takes {bits} bit(s) per pulse", nameof(block));
        lock (_sync)
        {
            if (_state == (int)PulseEngineState.Running) throw new InvalidOperationException("a block is running; stop it or wait for BlockCompleted");
            _block = block;
            _run = null;
            _pulsesDone = _missed = _detections = _dropped = 0;
            Volatile.Write(ref _state, (int)PulseEngineState.Armed);
        }
    }

    public void Start()
    {
        Run run;
        lock (_sync)
        {
            if (_state != (int)PulseEngineState.Armed || _block is null) throw new InvalidOperationException("arm a block before starting");
            run = new Run(this, _block, _blockNumberOf(_block), _isBob);
            _run = run;
            Volatile.Write(ref _state, (int)PulseEngineState.Running);
        }
        _bench.Submit(run);
    }

    public void Stop()
    {
        Run? run;
        lock (_sync)
        {
            run = _state == (int)PulseEngineState.Running ? _run : null;
            if (_state is (int)PulseEngineState.Running or (int)PulseEngineState.Armed)
            {
                _run = null; // a simulation still under way no longer writes into the block
                Volatile.Write(ref _state, (int)PulseEngineState.Stopped);
            }
        }
        if (run is not null) _bench.Withdraw(run);
    }

    /// <summary>One started block on its way through the bench; stale once the engine stops or re-arms.</summary>
    internal sealed class Run(EmulatedHardwareTimedEngine engine, PulseBlock block, uint blockId, bool isBob)
    {
        public PulseBlock Block { get; } = block;
        public uint BlockId { get; } = blockId;
        public bool IsBob { get; } = isBob;

        /// <summary>A detection from the optics (Bob): into the block's record buffer, count published last.</summary>
        public void Record(int pulse, byte detectorCode)
        {
            lock (engine._sync)
            {
                if (!ReferenceEquals(engine._run, this)) return;
                var n = engine._detections;
                if (n < Block.DetectionPulses.Length)
                {
                    Block.DetectionPulses[n] = pulse;
                    Block.DetectionCodes[n] = detectorCode;
                    Volatile.Write(ref engine._detections, n + 1);
                }
                else
                {
                    engine._dropped++;
                }
                Volatile.Write(ref engine._pulsesDone, pulse + 1);
            }
        }

        /// <summary>The bench simulated <paramref name="pulses"/> pulses of this block: the rest had no partner and count as missed.</summary>
        public void Finish(int pulses)
        {
            lock (engine._sync)
            {
                if (!ReferenceEquals(engine._run, this)) return;
                var missed = Block.PulseCount - pulses;
                for (var i = 0; i < missed && i < Block.MissedPulses.Length; i++) Block.MissedPulses[i] = pulses + i;
                engine._missed = missed;
                Volatile.Write(ref engine._pulsesDone, Block.PulseCount);
                Volatile.Write(ref engine._state, (int)PulseEngineState.Completed);
            }
            engine.BlockCompleted?.Invoke(engine, Block);
        }
    }
}
