#nullable disable
namespace Qkd.Wire
{
    /// <summary>Stop the running block now; the board answers with BlockDone.</summary>
    public sealed class StopMessage : WireMessage
    {
        public const int FieldCount = 1;

        /// <summary>Block to stop.</summary>
        public uint BlockId;

        public StopMessage()
        {
        }

        public StopMessage(uint blockId)
        {
            BlockId = blockId;
        }

        public override byte Type
        {
            get { return MessageType.Stop; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
        }

        public static StopMessage Read(MsgPackReader reader)
        {
            StopMessage message = new StopMessage();
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
