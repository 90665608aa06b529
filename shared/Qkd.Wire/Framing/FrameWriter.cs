#nullable disable
using System;

namespace Qkd.Wire
{
    /// <summary>
    /// Builds complete frames: COBS(version | type | sequence u16 LE | payload | CRC-32 u32 LE) + 0x00.
    /// Its scratch buffer is allocated once, so steady-state framing allocates nothing.
    /// Not thread-safe: one writer per sending thread.
    /// </summary>
    public sealed class FrameWriter
    {
        private readonly int _maxPayloadBytes;
        private readonly byte[] _body;
        private readonly MsgPackWriter _payloadWriter;

        public FrameWriter(int maxPayloadBytes)
        {
            if (maxPayloadBytes < 1)
            {
                throw new ArgumentOutOfRangeException("maxPayloadBytes");
            }
            _maxPayloadBytes = maxPayloadBytes;
            // The payload writer may run up to the CRC's room before we notice an oversize payload.
            _body = new byte[WireConstants.HeaderBytes + maxPayloadBytes + WireConstants.CrcBytes];
            _payloadWriter = new MsgPackWriter(_body, WireConstants.HeaderBytes);
        }

        /// <summary>Largest frame, delimiter included, for payloads up to maxPayloadBytes.</summary>
        public static int MaxFrameLength(int maxPayloadBytes)
        {
            return Cobs.MaxEncodedLength(WireConstants.HeaderBytes + maxPayloadBytes + WireConstants.CrcBytes) + 1;
        }

        /// <summary>
        /// Encodes message into output at outputOffset; returns bytes written, the 0x00 delimiter
        /// included. Throws WireFormatException when the payload exceeds maxPayloadBytes.
        /// </summary>
        public int Write(WireMessage message, ushort sequence, byte[] output, int outputOffset)
        {
            _payloadWriter.Reset(WireConstants.HeaderBytes);
            message.Write(_payloadWriter);
            int payloadCount = _payloadWriter.Position - WireConstants.HeaderBytes;
            return Seal(message.Type, sequence, payloadCount, output, outputOffset);
        }

        /// <summary>Same as Write for a payload that is already MessagePack.</summary>
        public int WriteRaw(byte type, ushort sequence, byte[] payload, int payloadOffset, int payloadCount, byte[] output, int outputOffset)
        {
            if (payloadCount < 0 || payloadCount > _maxPayloadBytes)
            {
                throw new WireFormatException("payload larger than the frame limit");
            }
            Array.Copy(payload, payloadOffset, _body, WireConstants.HeaderBytes, payloadCount);
            return Seal(type, sequence, payloadCount, output, outputOffset);
        }

        private int Seal(byte type, ushort sequence, int payloadCount, byte[] output, int outputOffset)
        {
            if (payloadCount > _maxPayloadBytes)
            {
                throw new WireFormatException("payload larger than the frame limit");
            }
            _body[0] = WireConstants.ProtocolVersion;
            _body[1] = type;
            _body[2] = (byte)sequence;
            _body[3] = (byte)(sequence >> 8);
            int crcAt = WireConstants.HeaderBytes + payloadCount;
            uint crc = Crc32.Compute(_body, 0, crcAt);
            _body[crcAt] = (byte)crc;
            _body[crcAt + 1] = (byte)(crc >> 8);
            _body[crcAt + 2] = (byte)(crc >> 16);
            _body[crcAt + 3] = (byte)(crc >> 24);
            int bodyCount = crcAt + WireConstants.CrcBytes;
            if (output.Length - outputOffset < Cobs.MaxEncodedLength(bodyCount) + 1)
            {
                throw new ArgumentException("output buffer too small for the frame");
            }
            int encoded = Cobs.Encode(_body, 0, bodyCount, output, outputOffset);
            output[outputOffset + encoded] = 0;
            return encoded + 1;
        }
    }
}
