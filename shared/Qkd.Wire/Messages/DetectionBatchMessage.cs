#nullable disable
namespace Qkd.Wire
{
    /// <summary>Bob's detections of part of a block; kept on the board until acknowledged.</summary>
    public sealed class DetectionBatchMessage : WireMessage
    {
        public const int FieldCount = 5;

        /// <summary>Block the detections belong to.</summary>
        public uint BlockId;

        /// <summary>0, 1, 2, ... within the block.</summary>
        public uint BatchIndex;

        /// <summary>Pulse index the first record's delta counts from.</summary>
        public uint BasePulseIndex;

        /// <summary>Records in Records.</summary>
        public uint RecordCount;

        /// <summary>Per record: unsigned LEB128 varint of the pulse index minus the previous record's (the first: minus BasePulseIndex), then one detector byte (1 APD0, 2 APD1, 3 both). See DetectionRecordWriter/Reader.</summary>
        public byte[] Records = new byte[0];

        public DetectionBatchMessage()
        {
        }

        public override byte Type
        {
            get { return MessageType.DetectionBatch; }
        }

        /// <summary>Throws WireFormatException if RecordCount disagrees with Records: the peer would reject the batch.</summary>
        public override void Write(MsgPackWriter writer)
        {
            CheckRecords(BasePulseIndex, RecordCount, Records);
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(BatchIndex);
            writer.WriteUInt(BasePulseIndex);
            writer.WriteUInt(RecordCount);
            writer.WriteBin(Records);
        }

        public static DetectionBatchMessage Read(MsgPackReader reader)
        {
            DetectionBatchMessage message = new DetectionBatchMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            BlockId = reader.ReadUInt32();
            BatchIndex = reader.ReadUInt32();
            BasePulseIndex = reader.ReadUInt32();
            RecordCount = reader.ReadUInt32();
            Records = reader.ReadBin() ?? new byte[0]; // nil decodes as the field's initial value: no records
            SkipFields(reader, extraFields);
            CheckRecords(BasePulseIndex, RecordCount, Records);
        }

        /// <summary>
        /// Throws WireFormatException unless records (nil counts as empty) holds exactly recordCount
        /// well-formed records: a count that disagrees with the records would lose or invent detections.
        /// </summary>
        public static void CheckRecords(uint basePulseIndex, uint recordCount, byte[] records)
        {
            if (records == null)
            {
                if (recordCount != 0)
                {
                    throw new WireFormatException("recordCount exceeds the records present");
                }
                return;
            }
            DetectionRecordReader.Validate(records, 0, records.Length, basePulseIndex, recordCount);
        }
    }
}
