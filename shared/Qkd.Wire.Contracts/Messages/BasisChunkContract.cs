using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="BasisChunkMessage"/>: One piece of a block's MUX table, streamed before ArmBlock.</summary>
[MessagePackObject]
public sealed class BasisChunkContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.BasisChunk;

    /// <summary>Block the table belongs to.</summary>
    [Key(0)]
    public uint BlockId { get; set; }

    /// <summary>Byte offset of this chunk within the block's table.</summary>
    [Key(1)]
    public uint Offset { get; set; }

    /// <summary>Packed MUX codes, pulse 0 in the low bits of byte 0: 2 bits/pulse on Alice (0 H, 1 V, 2 R, 3 L), 1 bit/pulse on Bob (0 H/V, 1 R/L).</summary>
    [Key(2)]
    [RawKeyMaterial]
    public byte[] Table { get; set; } = [];
}
