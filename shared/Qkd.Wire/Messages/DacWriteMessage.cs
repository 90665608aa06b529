#nullable disable
namespace Qkd.Wire
{
    /// <summary>Write one DAC channel code now (calibration).</summary>
    public sealed class DacWriteMessage : WireMessage
    {
        public const int FieldCount = 2;

        /// <summary>DAC channel 0..3 (A..D).</summary>
        public byte Channel;

        /// <summary>16-bit DAC code.</summary>
        public ushort Code;

        public DacWriteMessage()
        {
        }

        public DacWriteMessage(byte channel, ushort code)
        {
            Channel = channel;
            Code = code;
        }

        public override byte Type
        {
            get { return MessageType.DacWrite; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(Channel);
            writer.WriteUInt(Code);
        }

        public static DacWriteMessage Read(MsgPackReader reader)
        {
            DacWriteMessage message = new DacWriteMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            Channel = reader.ReadByte();
            Code = reader.ReadUInt16();
            SkipFields(reader, extraFields);
        }
    }
}
