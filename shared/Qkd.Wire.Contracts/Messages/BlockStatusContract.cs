using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BlockStatusMessage"/>: Progress of a block on the board.</summary>
[MessagePackObject]
public sealed class BlockStatusContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.BlockStatus;

    /// <summary>Block reported on.</summary>
    [Key(0)]
    public uint BlockId { get; set; }

    /// <summary>BlockState: 0 empty, 1 loading, 2 armed, 3 running, 4 done, 5 aborted.</summary>
    [Key(1)]
    public byte State { get; set; }

    /// <summary>Pulses emitted (Alice) or gated (Bob) so far.</summary>
    [Key(2)]
    public uint PulsesDone { get; set; }
}
