#nullable disable
namespace Qkd.Wire
{
    /// <summary>Result of a BenchRun.</summary>
    public sealed class BenchReportMessage : WireMessage
    {
        public const int FieldCount = 3;

        /// <summary>Rate that was run.</summary>
        public uint RateHz;

        /// <summary>Repetitions per transition.</summary>
        public uint Repeats;

        /// <summary>Per transition: [from, to, settleNs, settleMaxNs].</summary>
        public BenchTiming[] Timings = new BenchTiming[0];

        public BenchReportMessage()
        {
        }

        public BenchReportMessage(uint rateHz, uint repeats, BenchTiming[] timings)
        {
            RateHz = rateHz;
            Repeats = repeats;
            Timings = timings;
        }

        public override byte Type
        {
            get { return MessageType.BenchReport; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(RateHz);
            writer.WriteUInt(Repeats);
            BenchTiming.WriteArray(writer, Timings);
        }

        public static BenchReportMessage Read(MsgPackReader reader)
        {
            BenchReportMessage message = new BenchReportMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            RateHz = reader.ReadUInt32();
            Repeats = reader.ReadUInt32();
            Timings = BenchTiming.ReadArray(reader);
            SkipFields(reader, extraFields);
        }
    }
}
