#nullable disable
using System;

namespace Qkd.Wire.Link
{
    /// <summary>
    /// Payloads of Ack [ackedSeq, credits], Nack [expectedSeq] and Credit [credits], written and read
    /// in place (one or two unsigned fields), so acknowledging allocates no message objects. The bytes
    /// are exactly those of AckMessage, NackMessage and CreditMessage.
    /// </summary>
    internal sealed class ControlPayload
    {
        private readonly byte[] _buffer = new byte[16];
        private readonly MsgPackWriter _writer;
        private readonly MsgPackReader _reader;

        public ControlPayload()
        {
            _writer = new MsgPackWriter(_buffer, 0);
            _reader = new MsgPackReader(_buffer, 0, 0);
        }

        public byte[] Buffer
        {
            get { return _buffer; }
        }

        public ulong Value0 { get; private set; }

        public ulong Value1 { get; private set; }

        /// <summary>Writes an array of <paramref name="fields"/> (1 or 2) values; returns the payload length.</summary>
        public int Write(int fields, ulong value0, ulong value1)
        {
            _writer.Reset(0);
            _writer.WriteArrayHeader(fields);
            _writer.WriteUInt(value0);
            if (fields > 1)
            {
                _writer.WriteUInt(value1);
            }
            return _writer.Position;
        }

        /// <summary>
        /// Reads the first <paramref name="fields"/> unsigned values (later fields, from a newer peer,
        /// are ignored). False if the payload is malformed or a sequence field exceeds 16 bits.
        /// </summary>
        public bool TryRead(byte[] payload, int count, int fields, bool firstIsSequence)
        {
            try
            {
                _reader.Reset(payload, 0, count);
                if (_reader.ReadArrayHeader() < fields)
                {
                    return false;
                }
                Value0 = _reader.ReadUInt();
                Value1 = fields > 1 ? _reader.ReadUInt() : 0;
                return !firstIsSequence || Value0 <= 0xFFFF;
            }
            catch (Exception)
            {
                return false; // WireFormatException, or anything else the untrusted bytes provoke
            }
        }
    }
}
