#nullable disable
using System;

namespace Qkd.Wire
{
    /// <summary>
    /// Splits a byte stream into frames at each 0x00, checks COBS, length, CRC and version, and
    /// exposes the last frame's header and payload. After damage it resynchronises at the next 0x00.
    /// Buffers are allocated once and never grow: a stream without 0x00 is cut off as Oversize.
    /// Not thread-safe: one reader per receiving thread.
    /// </summary>
    public sealed class FrameReader
    {
        private const int MinBodyBytes = WireConstants.HeaderBytes + WireConstants.CrcBytes;

        private readonly int _maxBodyBytes;
        private readonly byte[] _encoded;
        private readonly byte[] _body;
        private readonly byte[] _payload;
        private int _encodedCount;
        private bool _overflowed;
        private long _streamPosition;
        private long _currentFrameStart;

        public FrameReader(int maxPayloadBytes)
        {
            if (maxPayloadBytes < 1)
            {
                throw new ArgumentOutOfRangeException("maxPayloadBytes");
            }
            _maxBodyBytes = MinBodyBytes + maxPayloadBytes;
            _encoded = new byte[Cobs.MaxEncodedLength(_maxBodyBytes)];
            _body = new byte[_encoded.Length];
            _payload = new byte[maxPayloadBytes];
        }

        public FrameError LastError { get; private set; }

        public byte Version { get; private set; }

        public byte Type { get; private set; }

        public ushort Sequence { get; private set; }

        /// <summary>The last good frame's payload starts at index 0; only PayloadCount bytes are valid.</summary>
        public byte[] Payload
        {
            get { return _payload; }
        }

        public int PayloadCount { get; private set; }

        /// <summary>Stream offset of the last frame's first byte (counting every byte ever pushed).</summary>
        public long FrameStartOffset { get; private set; }

        public int GoodFrames { get; private set; }

        public int BadFrames { get; private set; }

        /// <summary>Bytes of an unfinished frame waiting for their delimiter.</summary>
        public bool HasPartialFrame
        {
            get { return _encodedCount > 0 || _overflowed; }
        }

        /// <summary>Returns true when a frame (good or damaged) ended at this byte; then inspect LastError etc.</summary>
        public bool Push(byte b)
        {
            long position = _streamPosition++;
            if (b != 0)
            {
                if (!HasPartialFrame)
                {
                    _currentFrameStart = position;
                }
                if (_encodedCount < _encoded.Length)
                {
                    _encoded[_encodedCount++] = b;
                }
                else
                {
                    _overflowed = true;
                }
                return false;
            }
            if (!HasPartialFrame)
            {
                return false; // empty frame: two delimiters in a row are idle fill, not an error
            }
            FinishFrame(_overflowed ? FrameError.Oversize : Check());
            return true;
        }

        /// <summary>Pushes count bytes; returns how many were consumed, stopping just after the first frame end.</summary>
        public int Push(byte[] data, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (Push(data[offset + i]))
                {
                    return i + 1;
                }
            }
            return count;
        }

        /// <summary>
        /// The stream ended: an unfinished frame is reported as Truncated (returns true), or nothing
        /// was pending (returns false).
        /// </summary>
        public bool EndOfStream()
        {
            if (!HasPartialFrame)
            {
                return false;
            }
            FinishFrame(_overflowed ? FrameError.Oversize : FrameError.Truncated);
            return true;
        }

        private FrameError Check()
        {
            int bodyCount = Cobs.Decode(_encoded, 0, _encodedCount, _body, 0);
            if (bodyCount < 0)
            {
                return FrameError.Cobs;
            }
            if (bodyCount < MinBodyBytes)
            {
                return FrameError.Truncated;
            }
            if (bodyCount > _maxBodyBytes)
            {
                return FrameError.Oversize;
            }
            int crcAt = bodyCount - WireConstants.CrcBytes;
            uint received = (uint)(_body[crcAt] | (_body[crcAt + 1] << 8) | (_body[crcAt + 2] << 16) | (_body[crcAt + 3] << 24));
            if (Crc32.Compute(_body, 0, crcAt) != received)
            {
                return FrameError.Crc;
            }
            Version = _body[0];
            Type = _body[1];
            Sequence = (ushort)(_body[2] | (_body[3] << 8));
            if (Version != WireConstants.ProtocolVersion)
            {
                return FrameError.Version;
            }
            PayloadCount = crcAt - WireConstants.HeaderBytes;
            Array.Copy(_body, WireConstants.HeaderBytes, _payload, 0, PayloadCount);
            return FrameError.None;
        }

        private void FinishFrame(FrameError error)
        {
            if (error != FrameError.None)
            {
                PayloadCount = 0;
                if (error != FrameError.Version)
                {
                    Version = 0;
                    Type = 0;
                    Sequence = 0;
                }
                BadFrames++;
            }
            else
            {
                GoodFrames++;
            }
            LastError = error;
            FrameStartOffset = _currentFrameStart;
            _encodedCount = 0;
            _overflowed = false;
        }
    }
}
