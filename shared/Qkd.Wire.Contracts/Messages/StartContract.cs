using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="StartMessage"/>: Start the armed block at the next trigger.</summary>
[MessagePackObject]
public sealed class StartContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Start;

    /// <summary>Block to start.</summary>
    [Key(0)]
    public uint BlockId { get; set; }
}
