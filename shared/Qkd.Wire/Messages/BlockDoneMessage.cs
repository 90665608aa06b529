#nullable disable
namespace Qkd.Wire
{
    /// <summary>A block ended; its totals.</summary>
    public sealed class BlockDoneMessage : WireMessage
    {
        public const int FieldCount = 6;

        /// <summary>Block that ended.</summary>
        public uint BlockId;

        /// <summary>Pulses handled.</summary>
        public uint Pulses;

        /// <summary>Triggers the engine could not serve.</summary>
        public uint MissedTriggers;

        /// <summary>Detection records (single and double clicks).</summary>
        public uint Detections;

        /// <summary>Records with both APDs (detector code 3).</summary>
        public uint DoubleClicks;

        /// <summary>Detections lost because buffers were full.</summary>
        public uint Overruns;

        public BlockDoneMessage()
        {
        }

        public override byte Type
        {
            get { return MessageType.BlockDone; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(Pulses);
            writer.WriteUInt(MissedTriggers);
            writer.WriteUInt(Detections);
            writer.WriteUInt(DoubleClicks);
            writer.WriteUInt(Overruns);
        }

        public static BlockDoneMessage Read(MsgPackReader reader)
        {
            BlockDoneMessage message = new BlockDoneMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            Pulses = reader.ReadUInt32();
            MissedTriggers = reader.ReadUInt32();
            Detections = reader.ReadUInt32();
            DoubleClicks = reader.ReadUInt32();
            Overruns = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
