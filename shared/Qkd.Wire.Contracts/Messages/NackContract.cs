using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="NackMessage"/>: Gap report: the receiver still waits for this sequence number.</summary>
[MessagePackObject]
public sealed class NackContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Nack;

    /// <summary>Sequence number the receiver expects next.</summary>
    [Key(0)]
    public ushort ExpectedSeq { get; set; }
}
