#nullable disable
using System;

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// One block for a pulse engine: the packed MUX codes, the pulse count, the gate settings, and the
    /// caller's buffers the engine fills (detections on Bob, missed pulse indices). The caller allocates
    /// a block once and re-arms it; the engine never allocates.
    /// </summary>
    public sealed class PulseBlock
    {
        public PulseBlock(int bitsPerPulse, int maxPulses, int detectionCapacity, int missedCapacity)
        {
            if (bitsPerPulse != PulseCodes.AliceBitsPerPulse && bitsPerPulse != PulseCodes.BobBitsPerPulse)
            {
                throw new ArgumentOutOfRangeException("bitsPerPulse", "2 bits per pulse on Alice, 1 on Bob");
            }

            if (maxPulses <= 0 || detectionCapacity < 0 || missedCapacity < 0)
            {
                throw new ArgumentOutOfRangeException("maxPulses", "pulse count must be positive and capacities not negative");
            }

            BitsPerPulse = bitsPerPulse;
            Codes = new byte[PulseCodes.PackedLength(maxPulses, bitsPerPulse)];
            DetectionPulses = new int[detectionCapacity];
            DetectionCodes = new byte[detectionCapacity];
            MissedPulses = new int[missedCapacity];
            PulseCount = maxPulses;
        }

        /// <summary>2 on Alice (four polarisations), 1 on Bob (two bases).</summary>
        public int BitsPerPulse { get; private set; }

        /// <summary>Packed MUX codes, see <see cref="PulseCodes"/>.</summary>
        public byte[] Codes { get; private set; }

        /// <summary>Pulses in this block (at most the capacity given at construction).</summary>
        public int PulseCount { get; private set; }

        /// <summary>APD gate delay after the trigger, in ns (Bob; the front end or DMA engine applies it).</summary>
        public int GateDelayNs { get; set; }

        /// <summary>APD gate width in ns (Bob; 40 ns in the reference experiment).</summary>
        public int GateWidthNs { get; set; }

        /// <summary>Pulse index of each detection record, in increasing order (Bob).</summary>
        public int[] DetectionPulses { get; private set; }

        /// <summary>Detector code of each record (<see cref="DetectorCode"/>), double clicks included.</summary>
        public byte[] DetectionCodes { get; private set; }

        /// <summary>Indices of pulses whose trigger was missed; the count itself is the engine's MissedTriggers.</summary>
        public int[] MissedPulses { get; private set; }

        public int CodeCapacity
        {
            get { return Codes.Length * 8 / BitsPerPulse; }
        }

        /// <summary>Sets the number of pulses for the next run (codes already in <see cref="Codes"/>).</summary>
        public void SetPulseCount(int pulseCount)
        {
            if (pulseCount <= 0 || pulseCount > CodeCapacity)
            {
                throw new ArgumentOutOfRangeException("pulseCount", "pulse count must be 1..capacity");
            }

            PulseCount = pulseCount;
        }
    }
}
