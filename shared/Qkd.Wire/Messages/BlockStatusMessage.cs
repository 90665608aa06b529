#nullable disable
namespace Qkd.Wire
{
    /// <summary>Progress of a block on the board.</summary>
    public sealed class BlockStatusMessage : WireMessage
    {
        public const int FieldCount = 3;

        /// <summary>Block reported on.</summary>
        public uint BlockId;

        /// <summary>BlockState: 0 empty, 1 loading, 2 armed, 3 running, 4 done, 5 aborted.</summary>
        public byte State;

        /// <summary>Pulses emitted (Alice) or gated (Bob) so far.</summary>
        public uint PulsesDone;

        public BlockStatusMessage()
        {
        }

        public BlockStatusMessage(uint blockId, byte state, uint pulsesDone)
        {
            BlockId = blockId;
            State = state;
            PulsesDone = pulsesDone;
        }

        public override byte Type
        {
            get { return MessageType.BlockStatus; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(State);
            writer.WriteUInt(PulsesDone);
        }

        public static BlockStatusMessage Read(MsgPackReader reader)
        {
            BlockStatusMessage message = new BlockStatusMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            State = reader.ReadByte();
            PulsesDone = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
