#nullable disable
namespace Qkd.Wire
{
    /// <summary>Measure MUX/DAC transition settling on the bench.</summary>
    public sealed class BenchRunMessage : WireMessage
    {
        public const int FieldCount = 3;

        /// <summary>Transition rate to test.</summary>
        public uint RateHz;

        /// <summary>Repetitions of each transition.</summary>
        public uint Repeats;

        /// <summary>Pairs of MUX channels (from, to), one byte each; Alice 0..3, Bob 0..1.</summary>
        public byte[] Transitions = new byte[0];

        public BenchRunMessage()
        {
        }

        public BenchRunMessage(uint rateHz, uint repeats, byte[] transitions)
        {
            RateHz = rateHz;
            Repeats = repeats;
            Transitions = transitions;
        }

        public override byte Type
        {
            get { return MessageType.BenchRun; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(RateHz);
            writer.WriteUInt(Repeats);
            writer.WriteBin(Transitions);
        }

        public static BenchRunMessage Read(MsgPackReader reader)
        {
            BenchRunMessage message = new BenchRunMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            RateHz = reader.ReadUInt32();
            Repeats = reader.ReadUInt32();
            Transitions = reader.ReadBin();
            SkipFields(reader, extraFields);
        }
    }
}
