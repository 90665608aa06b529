using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="AckMessage"/>: Cumulative acknowledgement with the receiver's credit (the reliable link owns the semantics).</summary>
[MessagePackObject]
public sealed class AckContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Ack;

    /// <summary>Every data frame up to and including this sequence number arrived.</summary>
    [Key(0)]
    public ushort AckedSeq { get; set; }

    /// <summary>How many more data frames the sender may have in flight.</summary>
    [Key(1)]
    public uint Credits { get; set; }
}
