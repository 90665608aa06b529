using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="DetectionBatchMessage"/>: Bob's detections of part of a block; kept on the board until acknowledged.</summary>
[MessagePackObject]
public sealed class DetectionBatchContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.DetectionBatch;

    /// <summary>Block the detections belong to.</summary>
    [Key(0)]
    public uint BlockId { get; set; }

    /// <summary>0, 1, 2, ... within the block.</summary>
    [Key(1)]
    public uint BatchIndex { get; set; }

    /// <summary>Pulse index the first record's delta counts from.</summary>
    [Key(2)]
    public uint BasePulseIndex { get; set; }

    /// <summary>Records in Records.</summary>
    [Key(3)]
    public uint RecordCount { get; set; }

    /// <summary>Per record: unsigned LEB128 varint of the pulse index minus the previous record's (the first: minus BasePulseIndex), then one detector byte (1 APD0, 2 APD1, 3 both). See DetectionRecordWriter/Reader.</summary>
    [Key(4)]
    [RawKeyMaterial]
    public byte[] Records { get; set; } = [];
}
