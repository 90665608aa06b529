#nullable disable
namespace Qkd.Wire
{
    /// <summary>A DAC register as read back over SDO.</summary>
    public sealed class DacReadbackMessage : WireMessage
    {
        public const int FieldCount = 3;

        /// <summary>DAC address bits (0..3 = A..D).</summary>
        public byte Channel;

        /// <summary>AD5754 register: 0 DAC data, 1 range, 2 power control, 3 control.</summary>
        public byte Register;

        /// <summary>The 16 data bits read back.</summary>
        public ushort Value;

        public DacReadbackMessage()
        {
        }

        public DacReadbackMessage(byte channel, byte register, ushort value)
        {
            Channel = channel;
            Register = register;
            Value = value;
        }

        public override byte Type
        {
            get { return MessageType.DacReadback; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(Channel);
            writer.WriteUInt(Register);
            writer.WriteUInt(Value);
        }

        public static DacReadbackMessage Read(MsgPackReader reader)
        {
            DacReadbackMessage message = new DacReadbackMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            Channel = reader.ReadByte();
            Register = reader.ReadByte();
            Value = reader.ReadUInt16();
            SkipFields(reader, extraFields);
        }
    }
}
