using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Tests.Support;

/// <summary>
/// A test pulse engine: each <see cref="Fire"/>d trigger is the next pulse; it logs the MUX code it
/// would put on the address lines, and on Bob records the click the test injected for that pulse.
/// Pulses listed as missed get no code and no gate (as a late trigger on real hardware), are
/// reported in MissedPulses, and every later pulse keeps its own index.
/// </summary>
internal sealed class ModelPulseEngine : IPulseEngine
{
    public const byte NoCode = 0xFF;

    private readonly bool _bob;
    private PulseBlock? _block;
    private int _next;

    public ModelPulseEngine(bool bob) => _bob = bob;

    public event PulseBlockCompletedHandler? BlockCompleted;

    public PulseEngineState State { get; private set; }
    public int PulsesDone => _next;
    public int MissedTriggers { get; private set; }
    public int DetectionCount { get; private set; }
    public int DetectionsDropped { get; private set; }
    public double MeasuredMaxRateHz => 1e6;

    /// <summary>The MUX code put out for each pulse of the last started block (<see cref="NoCode"/> when missed).</summary>
    public byte[] MuxLog { get; private set; } = [];

    /// <summary>Detector code per pulse the APDs will report (Bob), or null for none.</summary>
    public byte[]? Clicks { get; set; }

    /// <summary>Pulses whose trigger the engine misses, or null for none.</summary>
    public bool[]? Misses { get; set; }

    public bool IsBob => _bob;

    public int ArmCount { get; private set; }

    public void Arm(PulseBlock block)
    {
        if (State == PulseEngineState.Running) throw new InvalidOperationException("a block is running");
        if (block.BitsPerPulse != (_bob ? PulseCodes.BobBitsPerPulse : PulseCodes.AliceBitsPerPulse)) throw new ArgumentException("wrong bits per pulse");
        _block = block;
        _next = 0;
        MissedTriggers = DetectionCount = DetectionsDropped = 0;
        ArmCount++;
        State = PulseEngineState.Armed;
    }

    public void Start()
    {
        if (State != PulseEngineState.Armed) throw new InvalidOperationException("arm a block before starting");
        MuxLog = new byte[_block!.PulseCount];
        State = PulseEngineState.Running;
    }

    public void Stop()
    {
        if (State is PulseEngineState.Running or PulseEngineState.Armed) State = PulseEngineState.Stopped;
    }

    /// <summary>Fires up to <paramref name="triggers"/> trigger edges; returns how many the running block took.</summary>
    public int Fire(int triggers)
    {
        var taken = 0;
        while (taken < triggers && State == PulseEngineState.Running)
        {
            var block = _block!;
            var pulse = _next;
            if (Misses is not null && pulse < Misses.Length && Misses[pulse])
            {
                if (MissedTriggers < block.MissedPulses.Length) block.MissedPulses[MissedTriggers] = pulse;
                MissedTriggers++;
                MuxLog[pulse] = NoCode;
            }
            else
            {
                MuxLog[pulse] = (byte)PulseCodes.Get(block.Codes, pulse, block.BitsPerPulse);
                var click = _bob && Clicks is not null && pulse < Clicks.Length ? Clicks[pulse] : (byte)0;
                if (click != 0)
                {
                    if (DetectionCount < block.DetectionPulses.Length)
                    {
                        block.DetectionPulses[DetectionCount] = pulse;
                        block.DetectionCodes[DetectionCount] = click;
                        DetectionCount++;
                    }
                    else
                    {
                        DetectionsDropped++;
                    }
                }
            }

            _next++;
            taken++;
            if (_next == block.PulseCount)
            {
                State = PulseEngineState.Completed;
                BlockCompleted?.Invoke(this, block);
            }
        }

        return taken;
    }
}
