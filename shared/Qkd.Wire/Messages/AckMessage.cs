#nullable disable
namespace Qkd.Wire
{
    /// <summary>Cumulative acknowledgement with the receiver's credit (the reliable link owns the semantics).</summary>
    public sealed class AckMessage : WireMessage
    {
        public const int FieldCount = 2;

        /// <summary>Every data frame up to and including this sequence number arrived.</summary>
        public ushort AckedSeq;

        /// <summary>How many more data frames the sender may have in flight.</summary>
        public uint Credits;

        public AckMessage()
        {
        }

        public AckMessage(ushort ackedSeq, uint credits)
        {
            AckedSeq = ackedSeq;
            Credits = credits;
        }

        public override byte Type
        {
            get { return MessageType.Ack; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(AckedSeq);
            writer.WriteUInt(Credits);
        }

        public static AckMessage Read(MsgPackReader reader)
        {
            AckMessage message = new AckMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            AckedSeq = reader.ReadUInt16();
            Credits = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
