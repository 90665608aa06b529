using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="ArmBlockMessage"/>: The block's table is complete: prepare the pulse engine.</summary>
[MessagePackObject]
public sealed class ArmBlockContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.ArmBlock;

    /// <summary>Block to arm.</summary>
    [Key(0)]
    public uint BlockId { get; set; }

    /// <summary>Pulses in the block.</summary>
    [Key(1)]
    public uint PulseCount { get; set; }
}
