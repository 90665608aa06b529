using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Tests.Support;

/// <summary>
/// One direction of an in-memory byte pipe between two links. Every frame written is classified by
/// message type, may be damaged by <see cref="Tamper"/>, and waits in <see cref="Take"/> for the other end.
/// </summary>
internal sealed class FrameChannel : ILinkTransport
{
    private readonly List<byte> _pending = [];
    private readonly FrameReader _reader = new(WireConstants.MaxPayloadBytes);

    /// <summary>(type, frame bytes) -> the bytes that go down the pipe (damaged, shortened, or empty to lose it).</summary>
    public Func<byte, byte[], byte[]>? Tamper { get; set; }

    /// <summary>When false, everything written is lost (a pulled cable).</summary>
    public bool Connected { get; set; } = true;

    /// <summary>Message type of every frame written, in order.</summary>
    public List<byte> FrameTypes { get; } = [];

    public void Write(byte[] buffer, int offset, int count)
    {
        var frame = buffer.AsSpan(offset, count).ToArray();
        byte type = 0;
        foreach (var b in frame)
        {
            if (_reader.Push(b) && _reader.LastError == FrameError.None) type = _reader.Type;
        }

        FrameTypes.Add(type);
        if (!Connected) return;
        _pending.AddRange(Tamper is null ? frame : Tamper(type, frame));
    }

    public byte[] Take()
    {
        var bytes = _pending.ToArray();
        _pending.Clear();
        return bytes;
    }
}
