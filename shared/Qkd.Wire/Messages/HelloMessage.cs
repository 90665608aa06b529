#nullable disable
namespace Qkd.Wire
{
    /// <summary>First message of each side after the link opens: who the board is and what it can do.</summary>
    public sealed class HelloMessage : WireMessage
    {
        public const int FieldCount = 7;

        /// <summary>Wire protocol version the sender speaks (WireConstants.ProtocolVersion).</summary>
        public byte ProtocolVersion;

        /// <summary>Firmware (or agent) version, e.g. "0.1.0".</summary>
        public string FirmwareVersion = "";

        /// <summary>Board identity, as the board file names it.</summary>
        public string BoardId = "";

        /// <summary>BoardRole: 1 Alice, 2 Bob.</summary>
        public byte Role;

        /// <summary>Bytes of MUX table the board can hold for one block (per buffer of the double buffer).</summary>
        public uint TableBufferBytes;

        /// <summary>Highest trigger rate the pulse engine sustains.</summary>
        public uint MaxPulseRateHz;

        /// <summary>PulseEngineKind: 0 managed, 1 hardware-timed, 2 emulated.</summary>
        public byte PulseEngine;

        public HelloMessage()
        {
        }

        public override byte Type
        {
            get { return MessageType.Hello; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(ProtocolVersion);
            writer.WriteString(FirmwareVersion);
            writer.WriteString(BoardId);
            writer.WriteUInt(Role);
            writer.WriteUInt(TableBufferBytes);
            writer.WriteUInt(MaxPulseRateHz);
            writer.WriteUInt(PulseEngine);
        }

        public static HelloMessage Read(MsgPackReader reader)
        {
            HelloMessage message = new HelloMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            ProtocolVersion = reader.ReadByte();
            FirmwareVersion = reader.ReadString();
            BoardId = reader.ReadString();
            Role = reader.ReadByte();
            TableBufferBytes = reader.ReadUInt32();
            MaxPulseRateHz = reader.ReadUInt32();
            PulseEngine = reader.ReadByte();
            SkipFields(reader, extraFields);
        }
    }
}
