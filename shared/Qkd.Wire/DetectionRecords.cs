#nullable disable
using System;

namespace Qkd.Wire
{
    /// <summary>
    /// Packs detection records into DetectionBatch.Records: per record the unsigned LEB128 varint of
    /// (pulse index - previous record's pulse index; the first record counts from the batch's base)
    /// followed by one detector byte. Pulse indices strictly increase. Reusable, allocation-free.
    /// </summary>
    public sealed class DetectionRecordWriter
    {
        /// <summary>A uint varint takes at most 5 bytes, plus the detector byte.</summary>
        public const int MaxRecordBytes = 6;

        private byte[] _buffer;
        private int _start;
        private int _position;
        private uint _previousPulse;

        public DetectionRecordWriter(byte[] buffer, int offset, uint basePulseIndex)
        {
            Reset(buffer, offset, basePulseIndex);
        }

        public int Count { get; private set; }

        /// <summary>Bytes written since the last Reset.</summary>
        public int Length
        {
            get { return _position - _start; }
        }

        public void Reset(byte[] buffer, int offset, uint basePulseIndex)
        {
            _buffer = buffer;
            _start = offset;
            _position = offset;
            _previousPulse = basePulseIndex;
            Count = 0;
        }

        /// <summary>True when one more record certainly fits.</summary>
        public bool HasRoom
        {
            get { return _buffer.Length - _position >= MaxRecordBytes; }
        }

        public void Append(uint pulseIndex, byte detector)
        {
            if (pulseIndex < _previousPulse || (Count > 0 && pulseIndex == _previousPulse))
            {
                // One pulse is one record: both APDs in one pulse is detector code 3, not two records.
                throw new ArgumentException("detection records must be in strictly increasing pulse order");
            }
            if (detector < DetectorCode.Apd0 || detector > DetectorCode.DoubleClick)
            {
                throw new ArgumentException("detector code must be 1, 2 or 3");
            }
            if (!HasRoom)
            {
                throw new WireFormatException("detection record buffer is full");
            }
            uint delta = pulseIndex - _previousPulse;
            while (delta >= 0x80)
            {
                _buffer[_position++] = (byte)(delta | 0x80);
                delta >>= 7;
            }
            _buffer[_position++] = (byte)delta;
            _buffer[_position++] = detector;
            _previousPulse = pulseIndex;
            Count++;
        }
    }

    /// <summary>Walks DetectionBatch.Records; throws WireFormatException on a malformed record.</summary>
    public sealed class DetectionRecordReader
    {
        private byte[] _buffer;
        private int _position;
        private int _end;
        private bool _first;

        public DetectionRecordReader(byte[] buffer, int offset, int count, uint basePulseIndex)
        {
            Reset(buffer, offset, count, basePulseIndex);
        }

        public uint PulseIndex { get; private set; }

        public byte Detector { get; private set; }

        public void Reset(byte[] buffer, int offset, int count, uint basePulseIndex)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
            PulseIndex = basePulseIndex;
            Detector = 0;
            _first = true;
        }

        /// <summary>Advances to the next record; false at the end of the records.</summary>
        public bool MoveNext()
        {
            if (_position >= _end)
            {
                return false;
            }
            ulong delta = 0;
            int shift = 0;
            while (true)
            {
                if (_position >= _end || shift > 28)
                {
                    throw new WireFormatException("bad detection record varint");
                }
                byte b = _buffer[_position++];
                delta |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
                shift += 7;
            }
            if (_position >= _end)
            {
                throw new WireFormatException("detection record without detector byte");
            }
            byte detector = _buffer[_position++];
            if (detector < DetectorCode.Apd0 || detector > DetectorCode.DoubleClick)
            {
                throw new WireFormatException("bad detector code");
            }
            ulong pulse = PulseIndex + delta;
            if (pulse > uint.MaxValue || (!_first && delta == 0))
            {
                throw new WireFormatException("bad detection record pulse index");
            }
            PulseIndex = (uint)pulse;
            Detector = detector;
            _first = false;
            return true;
        }
    }
}
