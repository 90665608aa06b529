#nullable disable
using System;
using Qkd.Firmware.Engine;
using Qkd.Wire;

namespace Qkd.Firmware.Tables
{
    /// <summary>
    /// One half of the double buffer: a block's packed MUX table as it arrives in BasisChunks, and the
    /// <see cref="PulseBlock"/> the engine runs from it. A coverage bitmap (one bit per table byte)
    /// records which bytes arrived, so a table is complete only when every byte for its pulse count
    /// did, whatever the chunk order and however often a chunk is repeated. Allocated once.
    /// </summary>
    public sealed class TableBuffer
    {
        private readonly byte[] _received;

        public TableBuffer(int bitsPerPulse, int maxPulses, int detectionCapacity, int missedCapacity)
        {
            Block = new PulseBlock(bitsPerPulse, maxPulses, detectionCapacity, missedCapacity);
            _received = new byte[(Block.Codes.Length + 7) / 8];
            State = BlockState.Empty;
        }

        /// <summary>What the engine runs; its Codes are the table bytes.</summary>
        public PulseBlock Block { get; private set; }

        public uint BlockId { get; private set; }

        /// <summary>A BlockState value: Empty, Loading, Armed, Running, Done or Aborted.</summary>
        public byte State { get; set; }

        /// <summary>Pulses of the block once armed (0 before).</summary>
        public int PulseCount { get; private set; }

        public int CapacityBytes
        {
            get { return Block.Codes.Length; }
        }

        /// <summary>True when the buffer holds no table the board still needs.</summary>
        public bool IsFree
        {
            get { return State == BlockState.Empty; }
        }

        /// <summary>Claims the buffer for a new block: coverage cleared, state Loading.</summary>
        public void BeginLoading(uint blockId)
        {
            Array.Clear(_received, 0, _received.Length);
            BlockId = blockId;
            PulseCount = 0;
            State = BlockState.Loading;
        }

        /// <summary>Copies a chunk in; false (nothing copied) when it does not fit the buffer.</summary>
        public bool Store(uint offset, byte[] data)
        {
            int length = data == null ? 0 : data.Length;
            if (offset > (uint)Block.Codes.Length || length > Block.Codes.Length - (int)offset)
            {
                return false;
            }
            int start = (int)offset;
            Array.Copy(data, 0, Block.Codes, start, length);
            for (int i = start; i < start + length; i++)
            {
                _received[i >> 3] |= (byte)(1 << (i & 7));
            }
            return true;
        }

        /// <summary>True when every table byte of <paramref name="pulseCount"/> pulses arrived.</summary>
        public bool HasTableFor(int pulseCount)
        {
            if (pulseCount <= 0 || pulseCount > Block.CodeCapacity)
            {
                return false;
            }
            int bytes = PulseCodes.PackedLength(pulseCount, Block.BitsPerPulse);
            int fullBitmapBytes = bytes >> 3;
            for (int i = 0; i < fullBitmapBytes; i++)
            {
                if (_received[i] != 0xFF)
                {
                    return false;
                }
            }
            int rest = bytes & 7;
            int mask = (1 << rest) - 1;
            return rest == 0 || (_received[fullBitmapBytes] & mask) == mask;
        }

        /// <summary>Marks the table complete for <paramref name="pulseCount"/> pulses and sets the block up to run.</summary>
        public void Arm(int pulseCount, int gateDelayNs, int gateWidthNs)
        {
            Block.SetPulseCount(pulseCount);
            Block.GateDelayNs = gateDelayNs;
            Block.GateWidthNs = gateWidthNs;
            PulseCount = pulseCount;
            State = BlockState.Armed;
        }

        /// <summary>Gives the buffer back for the next block.</summary>
        public void Free()
        {
            State = BlockState.Empty;
            PulseCount = 0;
            HasEnded = false;
        }

        // Block bookkeeping: the engine's counters are copied here when the block ends, because the
        // engine resets them when it arms the next block while this one's detections are still sent.

        /// <summary>True once the engine finished or stopped this block (totals below are final).</summary>
        public bool HasEnded { get; private set; }

        public int PulsesDone { get; set; }

        public int MissedTriggers { get; set; }

        /// <summary>Detection records in <see cref="PulseBlock.DetectionPulses"/> (final once ended).</summary>
        public int Detections { get; set; }

        public int DetectionsDropped { get; set; }

        /// <summary>Records with detector code 3, counted as they are batched.</summary>
        public int DoubleClicks { get; set; }

        /// <summary>Records already copied into DetectionBatches.</summary>
        public int BatchedRecords { get; set; }

        public uint NextBatchIndex { get; set; }

        /// <summary>Clears the bookkeeping when the block starts.</summary>
        public void BeginRun()
        {
            HasEnded = false;
            PulsesDone = 0;
            MissedTriggers = 0;
            Detections = 0;
            DetectionsDropped = 0;
            DoubleClicks = 0;
            BatchedRecords = 0;
            NextBatchIndex = 0;
            State = BlockState.Running;
        }

        /// <summary>
        /// Records the final totals. The block is Done only when every pulse got its code and no
        /// detection was dropped; otherwise it is Aborted, so the host never mistakes a block with
        /// missed triggers (whose pulses carried a stale code) for a clean one.
        /// </summary>
        public void End(int pulsesDone, int missedTriggers, int detections, int detectionsDropped)
        {
            PulsesDone = pulsesDone;
            MissedTriggers = missedTriggers;
            Detections = detections;
            DetectionsDropped = detectionsDropped;
            HasEnded = true;
            bool clean = pulsesDone == PulseCount && missedTriggers == 0 && detectionsDropped == 0;
            State = clean ? BlockState.Done : BlockState.Aborted;
        }
    }
}
