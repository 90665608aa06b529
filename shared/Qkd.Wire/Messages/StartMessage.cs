#nullable disable
namespace Qkd.Wire
{
    /// <summary>Start the armed block at the next trigger.</summary>
    public sealed class StartMessage : WireMessage
    {
        public const int FieldCount = 1;

        /// <summary>Block to start.</summary>
        public uint BlockId;

        public StartMessage()
        {
        }

        public StartMessage(uint blockId)
        {
            BlockId = blockId;
        }

        public override byte Type
        {
            get { return MessageType.Start; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
        }

        public static StartMessage Read(MsgPackReader reader)
        {
            StartMessage message = new StartMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
