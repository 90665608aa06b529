using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="HeartbeatMessage"/>: Periodic liveness and alerts.</summary>
[MessagePackObject]
public sealed class HeartbeatContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Heartbeat;

    /// <summary>Milliseconds since the board started (wraps).</summary>
    [Key(0)]
    public uint UptimeMs { get; set; }

    /// <summary>AD5754 power-control alert bits (bit 5 thermal, bits 7..10 overcurrent A..D).</summary>
    [Key(1)]
    public uint Alerts { get; set; }
}
