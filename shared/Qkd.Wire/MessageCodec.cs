#nullable disable
namespace Qkd.Wire
{
    /// <summary>Turns a frame's type and payload into a message object.</summary>
    public static class MessageCodec
    {
        /// <summary>
        /// Decodes a payload of a known type. Throws WireFormatException when the payload is malformed
        /// or has bytes after the message's array; returns null for a type number no message has.
        /// </summary>
        public static WireMessage Decode(byte type, byte[] payload, int offset, int count)
        {
            if (MessageType.Name(type) == null)
            {
                return null;
            }
            return Decode(type, payload, offset, count, new MsgPackReader(payload, offset, count));
        }

        /// <summary>
        /// Same as Decode, reading through a caller-owned reader (reset here), so a receiver that
        /// decodes every frame allocates only the message itself, never a reader per frame.
        /// </summary>
        public static WireMessage Decode(byte type, byte[] payload, int offset, int count, MsgPackReader reader)
        {
            if (MessageType.Name(type) == null)
            {
                return null;
            }
            reader.Reset(payload, offset, count);
            WireMessage message = Read(type, reader);
            if (reader.Remaining != 0)
            {
                throw new WireFormatException("bytes after the message");
            }
            return message;
        }

        /// <summary>Reads one message of the given type from the reader, or returns null for an unknown type.</summary>
        public static WireMessage Read(byte type, MsgPackReader reader)
        {
            switch (type)
            {
                case MessageType.Hello: return HelloMessage.Read(reader);
                case MessageType.Ack: return AckMessage.Read(reader);
                case MessageType.Nack: return NackMessage.Read(reader);
                case MessageType.Error: return ErrorMessage.Read(reader);
                case MessageType.Configure: return ConfigureMessage.Read(reader);
                case MessageType.Credit: return CreditMessage.Read(reader);
                case MessageType.BasisChunk: return BasisChunkMessage.Read(reader);
                case MessageType.ArmBlock: return ArmBlockMessage.Read(reader);
                case MessageType.Start: return StartMessage.Read(reader);
                case MessageType.Stop: return StopMessage.Read(reader);
                case MessageType.BlockStatus: return BlockStatusMessage.Read(reader);
                case MessageType.DetectionBatch: return DetectionBatchMessage.Read(reader);
                case MessageType.BlockDone: return BlockDoneMessage.Read(reader);
                case MessageType.DacWrite: return DacWriteMessage.Read(reader);
                case MessageType.DacReadback: return DacReadbackMessage.Read(reader);
                case MessageType.BenchRun: return BenchRunMessage.Read(reader);
                case MessageType.BenchReport: return BenchReportMessage.Read(reader);
                case MessageType.Heartbeat: return HeartbeatMessage.Read(reader);
                default: return null;
            }
        }
    }
}
