#nullable disable
namespace Qkd.Wire
{
    /// <summary>A request could not be carried out.</summary>
    public sealed class ErrorMessage : WireMessage
    {
        public const int FieldCount = 2;

        /// <summary>ErrorCode value.</summary>
        public ushort Code;

        /// <summary>Human-readable reason; never contains key or table material.</summary>
        public string Text = "";

        public ErrorMessage()
        {
        }

        public ErrorMessage(ushort code, string text)
        {
            Code = code;
            Text = text;
        }

        public override byte Type
        {
            get { return MessageType.Error; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(Code);
            writer.WriteString(Text);
        }

        public static ErrorMessage Read(MsgPackReader reader)
        {
            ErrorMessage message = new ErrorMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            Code = reader.ReadUInt16();
            Text = reader.ReadString();
            SkipFields(reader, extraFields);
        }
    }
}
