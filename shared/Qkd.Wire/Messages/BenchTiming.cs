#nullable disable
namespace Qkd.Wire
{
    /// <summary>Settling time of one MUX/DAC transition, an element of BenchReportMessage.Timings.</summary>
    public sealed class BenchTiming
    {
        public const int FieldCount = 4;

        /// <summary>MUX channel before the transition.</summary>
        public byte From;

        /// <summary>MUX channel after the transition.</summary>
        public byte To;

        /// <summary>Mean settling time.</summary>
        public uint SettleNs;

        /// <summary>Worst settling time seen.</summary>
        public uint SettleMaxNs;

        public BenchTiming()
        {
        }

        public BenchTiming(byte from, byte to, uint settleNs, uint settleMaxNs)
        {
            From = from;
            To = to;
            SettleNs = settleNs;
            SettleMaxNs = settleMaxNs;
        }

        public void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(From);
            writer.WriteUInt(To);
            writer.WriteUInt(SettleNs);
            writer.WriteUInt(SettleMaxNs);
        }

        public static BenchTiming Read(MsgPackReader reader)
        {
            int count = reader.ReadArrayHeader();
            if (count < FieldCount)
            {
                throw new WireFormatException("bench timing has too few fields");
            }
            BenchTiming timing = new BenchTiming();
            timing.From = reader.ReadByte();
            timing.To = reader.ReadByte();
            timing.SettleNs = reader.ReadUInt32();
            timing.SettleMaxNs = reader.ReadUInt32();
            for (int i = FieldCount; i < count; i++)
            {
                reader.SkipValue();
            }
            return timing;
        }

        /// <summary>An array of timings; null is written as nil.</summary>
        public static void WriteArray(MsgPackWriter writer, BenchTiming[] timings)
        {
            if (timings == null)
            {
                writer.WriteNil();
                return;
            }
            writer.WriteArrayHeader(timings.Length);
            for (int i = 0; i < timings.Length; i++)
            {
                if (timings[i] == null)
                {
                    writer.WriteNil();
                }
                else
                {
                    timings[i].Write(writer);
                }
            }
        }

        public static BenchTiming[] ReadArray(MsgPackReader reader)
        {
            if (reader.TryReadNil())
            {
                return null;
            }
            int count = reader.ReadArrayHeader();
            if (count > reader.Remaining)
            {
                throw new WireFormatException("array count exceeds the payload");
            }
            BenchTiming[] timings = new BenchTiming[count];
            for (int i = 0; i < count; i++)
            {
                timings[i] = reader.TryReadNil() ? null : Read(reader);
            }
            return timings;
        }
    }
}
