#nullable disable
namespace Qkd.Wire
{
    /// <summary>The block's table is complete: prepare the pulse engine.</summary>
    public sealed class ArmBlockMessage : WireMessage
    {
        public const int FieldCount = 2;

        /// <summary>Block to arm.</summary>
        public uint BlockId;

        /// <summary>Pulses in the block.</summary>
        public uint PulseCount;

        public ArmBlockMessage()
        {
        }

        public ArmBlockMessage(uint blockId, uint pulseCount)
        {
            BlockId = blockId;
            PulseCount = pulseCount;
        }

        public override byte Type
        {
            get { return MessageType.ArmBlock; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(PulseCount);
        }

        public static ArmBlockMessage Read(MsgPackReader reader)
        {
            ArmBlockMessage message = new ArmBlockMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            PulseCount = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
