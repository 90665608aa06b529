using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="HelloMessage"/>: First message of each side after the link opens: who the board is and what it can do.</summary>
[MessagePackObject]
public sealed class HelloContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Hello;

    /// <summary>Wire protocol version the sender speaks (WireConstants.ProtocolVersion).</summary>
    [Key(0)]
    public byte ProtocolVersion { get; set; }

    /// <summary>Firmware (or agent) version, e.g. "0.1.0".</summary>
    [Key(1)]
    public string FirmwareVersion { get; set; } = "";

    /// <summary>Board identity, as the board file names it.</summary>
    [Key(2)]
    public string BoardId { get; set; } = "";

    /// <summary>BoardRole: 1 Alice, 2 Bob.</summary>
    [Key(3)]
    public byte Role { get; set; }

    /// <summary>Bytes of MUX table the board can hold for one block (per buffer of the double buffer).</summary>
    [Key(4)]
    public uint TableBufferBytes { get; set; }

    /// <summary>Highest trigger rate the pulse engine sustains.</summary>
    [Key(5)]
    public uint MaxPulseRateHz { get; set; }

    /// <summary>PulseEngineKind: 0 managed, 1 hardware-timed, 2 emulated.</summary>
    [Key(6)]
    public byte PulseEngine { get; set; }
}
