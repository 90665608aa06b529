using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="CreditMessage"/>: Grants the peer more data frames in flight (the reliable link owns the semantics).</summary>
[MessagePackObject]
public sealed class CreditContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Credit;

    /// <summary>How many more data frames the sender may have in flight.</summary>
    [Key(0)]
    public uint Credits { get; set; }
}
