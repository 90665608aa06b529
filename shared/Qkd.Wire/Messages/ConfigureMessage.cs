#nullable disable
namespace Qkd.Wire
{
    /// <summary>Everything a board file says, sent before the first block. Pins are GPIO numbers, -1 = not connected.</summary>
    public sealed class ConfigureMessage : WireMessage
    {
        public const int FieldCount = 25;

        /// <summary>Fields a Configure had before LatchClearPin was appended; such a message still decodes (LatchClearPin = -1).</summary>
        public const int FieldCountWithoutLatchClear = 24;

        /// <summary>BoardRole: 1 Alice, 2 Bob.</summary>
        public byte Role;

        /// <summary>AD5754 SYNC (chip select, active low).</summary>
        public int DacSyncPin;

        /// <summary>AD5754 SCLK.</summary>
        public int DacSclkPin;

        /// <summary>AD5754 SDIN (MOSI).</summary>
        public int DacSdinPin;

        /// <summary>AD5754 SDO (MISO), for read-back.</summary>
        public int DacSdoPin;

        /// <summary>AD5754 LDAC.</summary>
        public int DacLdacPin;

        /// <summary>AD5754 CLR (active low).</summary>
        public int DacClrPin;

        /// <summary>MUX36D04 EN (active high).</summary>
        public int MuxEnPin;

        /// <summary>MUX36D04 A0.</summary>
        public int MuxA0Pin;

        /// <summary>MUX36D04 A1 (unused on Bob: -1).</summary>
        public int MuxA1Pin;

        /// <summary>Laser pulse trigger input.</summary>
        public int TriggerInPin;

        /// <summary>APD gate output (Bob).</summary>
        public int ApdGateOutPin;

        /// <summary>APD0 click latch input (Bob).</summary>
        public int Apd0LatchPin;

        /// <summary>APD1 click latch input (Bob).</summary>
        public int Apd1LatchPin;

        /// <summary>Oscilloscope sync output.</summary>
        public int ScopeSyncPin;

        /// <summary>SPI bus number of the DAC.</summary>
        public int SpiBus;

        /// <summary>SPI clock for the DAC (AD5754: up to 30 MHz).</summary>
        public uint SpiClockHz;

        /// <summary>AD5754 output range code (register 001 bits 2..0), e.g. 4 = +-10 V.</summary>
        public byte DacRangeCode;

        /// <summary>DacCoding: 0 offset binary, 1 two's complement (BIN/2sCOMP pin).</summary>
        public byte DacCoding;

        /// <summary>16-bit DAC code per channel A, B, C, D (Alice: H, V, R, L; Bob: H/V, R/L).</summary>
        public ushort[] ChannelCodes = new ushort[0];

        /// <summary>APD gate delay after the trigger.</summary>
        public uint GateDelayNs;

        /// <summary>APD gate width (40 ns in the reference experiment).</summary>
        public uint GateWidthNs;

        /// <summary>TriggerEdge: 1 rising, 2 falling.</summary>
        public byte TriggerEdge;

        /// <summary>PulseEngineKind to use: 0 managed, 1 hardware-timed, 2 emulated.</summary>
        public byte PulseEngine;

        /// <summary>APD latch clear output (Bob; pins.latchClear of the board file). Appended last: field 24.</summary>
        public int LatchClearPin = -1;

        public ConfigureMessage()
        {
        }

        public override byte Type
        {
            get { return MessageType.Configure; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(Role);
            writer.WriteInt(DacSyncPin);
            writer.WriteInt(DacSclkPin);
            writer.WriteInt(DacSdinPin);
            writer.WriteInt(DacSdoPin);
            writer.WriteInt(DacLdacPin);
            writer.WriteInt(DacClrPin);
            writer.WriteInt(MuxEnPin);
            writer.WriteInt(MuxA0Pin);
            writer.WriteInt(MuxA1Pin);
            writer.WriteInt(TriggerInPin);
            writer.WriteInt(ApdGateOutPin);
            writer.WriteInt(Apd0LatchPin);
            writer.WriteInt(Apd1LatchPin);
            writer.WriteInt(ScopeSyncPin);
            writer.WriteInt(SpiBus);
            writer.WriteUInt(SpiClockHz);
            writer.WriteUInt(DacRangeCode);
            writer.WriteUInt(DacCoding);
            WriteUInt16Array(writer, ChannelCodes);
            writer.WriteUInt(GateDelayNs);
            writer.WriteUInt(GateWidthNs);
            writer.WriteUInt(TriggerEdge);
            writer.WriteUInt(PulseEngine);
            writer.WriteInt(LatchClearPin);
        }

        public static ConfigureMessage Read(MsgPackReader reader)
        {
            ConfigureMessage message = new ConfigureMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCountWithoutLatchClear);
            Role = reader.ReadByte();
            DacSyncPin = reader.ReadInt32();
            DacSclkPin = reader.ReadInt32();
            DacSdinPin = reader.ReadInt32();
            DacSdoPin = reader.ReadInt32();
            DacLdacPin = reader.ReadInt32();
            DacClrPin = reader.ReadInt32();
            MuxEnPin = reader.ReadInt32();
            MuxA0Pin = reader.ReadInt32();
            MuxA1Pin = reader.ReadInt32();
            TriggerInPin = reader.ReadInt32();
            ApdGateOutPin = reader.ReadInt32();
            Apd0LatchPin = reader.ReadInt32();
            Apd1LatchPin = reader.ReadInt32();
            ScopeSyncPin = reader.ReadInt32();
            SpiBus = reader.ReadInt32();
            SpiClockHz = reader.ReadUInt32();
            DacRangeCode = reader.ReadByte();
            DacCoding = reader.ReadByte();
            ChannelCodes = ReadUInt16Array(reader);
            GateDelayNs = reader.ReadUInt32();
            GateWidthNs = reader.ReadUInt32();
            TriggerEdge = reader.ReadByte();
            PulseEngine = reader.ReadByte();
            LatchClearPin = -1;
            if (extraFields > 0)
            {
                LatchClearPin = reader.ReadInt32();
                extraFields--;
            }
            SkipFields(reader, extraFields);
        }
    }
}
