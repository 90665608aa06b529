using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BlockDoneMessage"/>: A block ended; its totals.</summary>
[MessagePackObject]
public sealed class BlockDoneContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.BlockDone;

    /// <summary>Block that ended.</summary>
    [Key(0)]
    public uint BlockId { get; set; }

    /// <summary>Pulses handled.</summary>
    [Key(1)]
    public uint Pulses { get; set; }

    /// <summary>Triggers the engine could not serve.</summary>
    [Key(2)]
    public uint MissedTriggers { get; set; }

    /// <summary>Detection records (single and double clicks).</summary>
    [Key(3)]
    public uint Detections { get; set; }

    /// <summary>Records with both APDs (detector code 3).</summary>
    [Key(4)]
    public uint DoubleClicks { get; set; }

    /// <summary>Detections lost because buffers were full.</summary>
    [Key(5)]
    public uint Overruns { get; set; }
}
