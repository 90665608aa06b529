using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="ErrorMessage"/>: A request could not be carried out.</summary>
[MessagePackObject]
public sealed class ErrorContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Error;

    /// <summary>ErrorCode value.</summary>
    [Key(0)]
    public ushort Code { get; set; }

    /// <summary>Human-readable reason; never contains key or table material.</summary>
    [Key(1)]
    public string Text { get; set; } = "";
}
