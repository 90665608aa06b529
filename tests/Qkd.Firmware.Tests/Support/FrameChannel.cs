using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Tests.Support;

/// <summary>
/// One direction of an in-memory byte pipe between two links. Every frame written is classified by
/// message type, may be damaged by <see cref="Tamper"/>, and waits in <see cref="Take"/> for the other end.
/// </summary>
internal sealed class FrameChannel : ILinkTransport
{
    private byte[] _pending = new byte[1 << 16];
    private int _length;
    private readonly FrameReader _reader = new(WireConstants.MaxPayloadBytes);

    /// <summary>(type, frame bytes) -> the bytes that go down the pipe (damaged, shortened, or empty to lose it).</summary>
    public Func<byte, byte[], byte[]>? Tamper { get; set; }

    /// <summary>When false, everything written is lost (a pulled cable).</summary>
    public bool Connected { get; set; } = true;

    /// <summary>Message type of every frame written, in order.</summary>
    public List<byte> FrameTypes { get; } = new(1 << 16);

    public void Write(byte[] buffer, int offset, int count)
    {
        byte type = 0;
        for (var i = offset; i < offset + count; i++)
        {
            if (_reader.Push(buffer[i]) && _reader.LastError == FrameError.None) type = _reader.Type;
        }

        FrameTypes.Add(type);
        if (!Connected) return;
        if (Tamper is null)
        {
            Append(buffer, offset, count); // no allocation here, so tests can measure what the board allocates
            return;
        }

        var tampered = Tamper(type, buffer.AsSpan(offset, count).ToArray());
        Append(tampered, 0, tampered.Length);
    }

    public byte[] Take()
    {
        var bytes = _pending.AsSpan(0, _length).ToArray();
        _length = 0;
        return bytes;
    }

    private void Append(byte[] bytes, int offset, int count)
    {
        if (_length + count > _pending.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _length + count));
        Array.Copy(bytes, offset, _pending, _length, count);
        _length += count;
    }
}
