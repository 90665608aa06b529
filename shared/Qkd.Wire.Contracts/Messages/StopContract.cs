using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="StopMessage"/>: Stop the running block now; the board answers with BlockDone.</summary>
[MessagePackObject]
public sealed class StopContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Stop;

    /// <summary>Block to stop.</summary>
    [Key(0)]
    public uint BlockId { get; set; }
}
