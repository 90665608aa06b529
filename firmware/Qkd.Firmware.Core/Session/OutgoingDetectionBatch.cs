#nullable disable
using Qkd.Wire;

namespace Qkd.Firmware.Session
{
    /// <summary>
    /// A DetectionBatch the board builds in a buffer it owns and reuses: the same wire bytes as
    /// <see cref="DetectionBatchMessage"/>, but the records are written from part of a fixed buffer,
    /// so building and sending a batch allocates nothing.
    /// </summary>
    public sealed class OutgoingDetectionBatch : WireMessage
    {
        private readonly byte[] _records;

        public OutgoingDetectionBatch(int recordBytes)
        {
            _records = new byte[recordBytes];
        }

        public uint BlockId;
        public uint BatchIndex;
        public uint BasePulseIndex;
        public uint RecordCount;

        /// <summary>Bytes of <see cref="RecordBuffer"/> in use.</summary>
        public int RecordBytes;

        /// <summary>The record buffer the batcher writes with DetectionRecordWriter.</summary>
        public byte[] RecordBuffer
        {
            get { return _records; }
        }

        public override byte Type
        {
            get { return MessageType.DetectionBatch; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(DetectionBatchMessage.FieldCount);
            writer.WriteUInt(BlockId);
            writer.WriteUInt(BatchIndex);
            writer.WriteUInt(BasePulseIndex);
            writer.WriteUInt(RecordCount);
            writer.WriteBin(_records, 0, RecordBytes);
        }
    }
}
