#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>
    /// The send side's fixed ring of encoded frames, oldest unacknowledged first. The first
    /// <see cref="SentCount"/> entries are in flight (sent at least once); the rest are queued, waiting
    /// for credit. Entry i carries sequence number HeadSequence + i. Slots are allocated once.
    /// </summary>
    internal sealed class SendRing
    {
        private readonly byte[][] _frames;
        private readonly int[] _lengths;
        private readonly byte[] _types;
        private int _head;
        private int _count;
        private int _sent;
        private ushort _headSequence;

        public SendRing(int capacity, int frameBytes)
        {
            _frames = new byte[capacity][];
            for (int i = 0; i < capacity; i++)
            {
                _frames[i] = new byte[frameBytes];
            }
            _lengths = new int[capacity];
            _types = new byte[capacity];
        }

        public int Capacity
        {
            get { return _frames.Length; }
        }

        public int Count
        {
            get { return _count; }
        }

        public int SentCount
        {
            get { return _sent; }
        }

        public int QueuedCount
        {
            get { return _count - _sent; }
        }

        public bool IsFull
        {
            get { return _count == _frames.Length; }
        }

        public ushort HeadSequence
        {
            get { return _headSequence; }
        }

        /// <summary>The sequence number the next appended frame gets.</summary>
        public ushort NextSequence
        {
            get { return SequenceNumber.Add(_headSequence, _count); }
        }

        public byte[] FrameAt(int index)
        {
            return _frames[Slot(index)];
        }

        public int LengthAt(int index)
        {
            return _lengths[Slot(index)];
        }

        public byte TypeAt(int index)
        {
            return _types[Slot(index)];
        }

        public ushort SequenceAt(int index)
        {
            return SequenceNumber.Add(_headSequence, index);
        }

        /// <summary>The buffer the next frame is encoded into; it joins the ring only on <see cref="Append"/>.</summary>
        public byte[] TailBuffer
        {
            get { return _frames[Slot(_count)]; }
        }

        public void Append(byte type, int length)
        {
            int slot = Slot(_count);
            _types[slot] = type;
            _lengths[slot] = length;
            _count++;
        }

        public void MarkNextSent()
        {
            _sent++;
        }

        /// <summary>Drops the <paramref name="count"/> oldest frames, which the peer acknowledged.</summary>
        public void RemoveAcknowledged(int count)
        {
            _head = Slot(count);
            _headSequence = SequenceNumber.Add(_headSequence, count);
            _count -= count;
            _sent -= count;
        }

        /// <summary>Empties the ring; the next appended frame gets <paramref name="nextSequence"/>.</summary>
        public void Clear(ushort nextSequence)
        {
            _head = 0;
            _count = 0;
            _sent = 0;
            _headSequence = nextSequence;
        }

        private int Slot(int index)
        {
            return (_head + index) % _frames.Length;
        }
    }
}
