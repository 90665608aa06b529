#nullable disable
namespace Qkd.Wire
{
    /// <summary>Grants the peer more data frames in flight (the reliable link owns the semantics).</summary>
    public sealed class CreditMessage : WireMessage
    {
        public const int FieldCount = 1;

        /// <summary>How many more data frames the sender may have in flight.</summary>
        public uint Credits;

        public CreditMessage()
        {
        }

        public CreditMessage(uint credits)
        {
            Credits = credits;
        }

        public override byte Type
        {
            get { return MessageType.Credit; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(Credits);
        }

        public static CreditMessage Read(MsgPackReader reader)
        {
            CreditMessage message = new CreditMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            Credits = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
