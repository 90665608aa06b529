#nullable disable
namespace Qkd.Wire
{
    /// <summary>One piece of a block's MUX table, streamed before ArmBlock.</summary>
    public sealed class BasisChunkMessage : WireMessage
    {
        public const int FieldCount = 3;

        /// <summary>Block the table belongs to.</summary>
        public uint BlockId;

        /// <summary>Byte offset of this chunk within the block's table.</summary>
        public uint Offset;

        /// <summary>Packed MUX codes, pulse 0 in the low bits of byte 0: 2 bits/pulse on Alice (0 H, 1 V, 2 R, 3 L), 1 bit/pulse on Bob (0 H/V, 1 R/L).</summary>
        public byte[] Table = new byte[0];

        public BasisChunkMessage()
        {
        }

        public BasisChunkMessage(uint blockId, uint offset, byte[] table)
        {
            BlockId = blockId;
            Offset = offset;
            Table = table;
        }

        public override byte Type
        {
            get { return MessageType.BasisChunk; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(Offset);
            writer.WriteBin(Table);
        }

        public static BasisChunkMessage Read(MsgPackReader reader)
        {
            BasisChunkMessage message = new BasisChunkMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            Offset = reader.ReadUInt32();
            Table = reader.ReadBin();
            SkipFields(reader, extraFields);
        }
    }
}
