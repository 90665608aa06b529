#nullable disable
namespace Qkd.Wire
{
    /// <summary>Gap report: the receiver still waits for this sequence number.</summary>
    public sealed class NackMessage : WireMessage
    {
        public const int FieldCount = 1;

        /// <summary>Sequence number the receiver expects next.</summary>
        public ushort ExpectedSeq;

        public NackMessage()
        {
        }

        public NackMessage(ushort expectedSeq)
        {
            ExpectedSeq = expectedSeq;
        }

        public override byte Type
        {
            get { return MessageType.Nack; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(ExpectedSeq);
        }

        public static NackMessage Read(MsgPackReader reader)
        {
            NackMessage message = new NackMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            ExpectedSeq = reader.ReadUInt16();
            SkipFields(reader, extraFields);
        }
    }
}
