#nullable disable
using Qkd.Wire;

namespace Qkd.Firmware.Tables
{
    /// <summary>
    /// The double buffer of block tables: while block k runs from one buffer, block k+1 loads into the
    /// other. A buffer is claimed by the first chunk of a block and freed once the block ended and its
    /// results left (BlockDone queued), or when the host abandons it.
    /// </summary>
    public sealed class TableBank
    {
        public const int BufferCount = 2;

        private readonly TableBuffer[] _buffers = new TableBuffer[BufferCount];

        public TableBank(int bitsPerPulse, int maxPulses, int detectionCapacity, int missedCapacity)
        {
            for (int i = 0; i < BufferCount; i++)
            {
                _buffers[i] = new TableBuffer(bitsPerPulse, maxPulses, detectionCapacity, missedCapacity);
            }
        }

        public TableBuffer this[int index]
        {
            get { return _buffers[index]; }
        }

        public int CapacityBytes
        {
            get { return _buffers[0].CapacityBytes; }
        }

        /// <summary>The buffer holding <paramref name="blockId"/> (in any state but Empty), or null.</summary>
        public TableBuffer Find(uint blockId)
        {
            for (int i = 0; i < BufferCount; i++)
            {
                if (!_buffers[i].IsFree && _buffers[i].BlockId == blockId)
                {
                    return _buffers[i];
                }
            }
            return null;
        }

        /// <summary>A free buffer claimed for <paramref name="blockId"/>, or null when both are busy.</summary>
        public TableBuffer Claim(uint blockId)
        {
            for (int i = 0; i < BufferCount; i++)
            {
                if (_buffers[i].IsFree)
                {
                    _buffers[i].BeginLoading(blockId);
                    return _buffers[i];
                }
            }
            return null;
        }

        /// <summary>The first buffer in <paramref name="state"/> (a BlockState), or null.</summary>
        public TableBuffer InState(byte state)
        {
            for (int i = 0; i < BufferCount; i++)
            {
                if (_buffers[i].State == state)
                {
                    return _buffers[i];
                }
            }
            return null;
        }

        /// <summary>Frees every buffer that is loading or armed (the host restarted and forgot them).</summary>
        public void AbandonPending()
        {
            for (int i = 0; i < BufferCount; i++)
            {
                byte state = _buffers[i].State;
                if (state == BlockState.Loading || state == BlockState.Armed)
                {
                    _buffers[i].Free();
                }
            }
        }
    }
}
