#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>Raised once when every pulse of the armed block has been accounted for.</summary>
    public delegate void PulseBlockCompletedHandler(IPulseEngine engine, PulseBlock block);

    /// <summary>
    /// The firmware's timing seam (ARCHITECTURE.md, "Timing truth"): whatever puts the MUX code of
    /// pulse i on the address lines when trigger i arrives and, on Bob, captures the gated APD latches.
    /// Implementations: <see cref="ManagedPulseEngine"/> (pin events, slow, honest), a hardware-timed
    /// DMA engine (native interop), the board emulator's engine. See Engine/README.md.
    /// </summary>
    public interface IPulseEngine
    {
        PulseEngineState State { get; }

        /// <summary>Makes <paramref name="block"/> the next block; refused while a block runs.</summary>
        void Arm(PulseBlock block);

        /// <summary>From now on trigger k is pulse k of the armed block.</summary>
        void Start();

        /// <summary>Ends the block early; counters keep what was done.</summary>
        void Stop();

        /// <summary>Pulses accounted for so far (handled plus missed).</summary>
        int PulsesDone { get; }

        /// <summary>Triggers whose pulse did not get its MUX code (or gate) in time.</summary>
        int MissedTriggers { get; }

        /// <summary>Detection records written into the block (Bob).</summary>
        int DetectionCount { get; }

        /// <summary>Detections that did not fit the block's record buffer: never silently lost.</summary>
        int DetectionsDropped { get; }

        /// <summary>Highest trigger rate this engine has shown it can follow, in Hz (0 before the first pulse).</summary>
        double MeasuredMaxRateHz { get; }

        event PulseBlockCompletedHandler BlockCompleted;
    }
}
