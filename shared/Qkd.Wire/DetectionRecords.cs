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
            CheckRange(buffer, offset, count);
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
            uint pulse = PulseIndex;
            byte detector;
            _position = ReadRecord(_buffer, _position, _end, _first, ref pulse, out detector);
            PulseIndex = pulse;
            Detector = detector;
            _first = false;
            return true;
        }

        /// <summary>
        /// Checks that count bytes hold exactly expectedRecords well-formed records, allocating
        /// nothing; throws WireFormatException otherwise. A DetectionBatch whose recordCount disagrees
        /// with its records is malformed: a reader trusting either one would lose or invent detections.
        /// </summary>
        public static void Validate(byte[] buffer, int offset, int count, uint basePulseIndex, uint expectedRecords)
        {
            CheckRange(buffer, offset, count);
            // Every record takes at least two bytes: an absurd count fails before any walking.
            if (expectedRecords > (uint)count / 2)
            {
                throw new WireFormatException("recordCount exceeds the records present");
            }
            int end = offset + count;
            int position = offset;
            uint pulse = basePulseIndex;
            uint found = 0;
            byte detector;
            while (position < end)
            {
                position = ReadRecord(buffer, position, end, found == 0, ref pulse, out detector);
                found++;
            }
            if (found != expectedRecords)
            {
                throw new WireFormatException("recordCount does not match the records present");
            }
        }

        private static void CheckRange(byte[] buffer, int offset, int count)
        {
            // Written as a subtraction: offset + count can overflow int and pass a naive check.
            if (buffer == null || offset < 0 || count < 0 || count > buffer.Length - offset)
            {
                throw new ArgumentException("record range is outside the buffer");
            }
        }

        /// <summary>Reads one record at position (before end); returns the position after it.</summary>
        private static int ReadRecord(byte[] buffer, int position, int end, bool first, ref uint pulseIndex, out byte detector)
        {
            ulong delta = 0;
            int shift = 0;
            while (true)
            {
                if (position >= end || shift > 28)
                {
                    throw new WireFormatException("bad detection record varint");
                }
                byte b = buffer[position++];
                delta |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
                shift += 7;
            }
            if (position >= end)
            {
                throw new WireFormatException("detection record without detector byte");
            }
            detector = buffer[position++];
            if (detector < DetectorCode.Apd0 || detector > DetectorCode.DoubleClick)
            {
                throw new WireFormatException("bad detector code");
            }
            ulong pulse = pulseIndex + delta;
            if (pulse > uint.MaxValue || (!first && delta == 0))
            {
                throw new WireFormatException("bad detection record pulse index");
            }
            pulseIndex = (uint)pulse;
            return position;
        }
    }
}
