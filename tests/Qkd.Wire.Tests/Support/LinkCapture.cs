using Qkd.Wire.Link;

namespace Qkd.Wire.Tests.Support;

/// <summary>One frame a link wrote, parsed back.</summary>
internal sealed record LinkFrame(byte Type, ushort Sequence, byte[] Payload, byte[] Raw)
{
    public WireMessage? Message => MessageCodec.Decode(Type, Payload, 0, Payload.Length);

    public AckMessage Ack => (AckMessage)Message!;
    public NackMessage Nack => (NackMessage)Message!;
    public CreditMessage Credit => (CreditMessage)Message!;
}

/// <summary>Transport that parses and keeps every frame a link writes (each Write must be one whole frame).</summary>
internal sealed class LinkCapture : ILinkTransport
{
    private readonly FrameReader _reader = new(WireConstants.MaxPayloadBytes);

    public List<LinkFrame> Frames { get; } = [];

    public IEnumerable<LinkFrame> OfType(byte type) => Frames.Where(f => f.Type == type);

    public void Write(byte[] buffer, int offset, int count)
    {
        Assert.True(count > 0 && buffer[offset + count - 1] == 0, "a Write must be one whole frame ending in 0x00");
        for (var i = 0; i < count; i++)
        {
            if (_reader.Push(buffer[offset + i]))
            {
                Assert.Equal(FrameError.None, _reader.LastError);
                Frames.Add(new LinkFrame(_reader.Type, _reader.Sequence, _reader.Payload[.._reader.PayloadCount], buffer[offset..(offset + count)]));
            }
        }
    }

    public void Clear() => Frames.Clear();
}

/// <summary>A hand-driven peer: encodes the frames a test feeds into the link under test.</summary>
internal sealed class ScriptedPeer(ReliableLink target)
{
    private readonly FrameWriter _writer = new(WireConstants.MaxPayloadBytes);
    private readonly byte[] _frame = new byte[FrameWriter.MaxFrameLength(WireConstants.MaxPayloadBytes)];

    public long Now { get; set; }

    /// <summary>The peer's send epoch: its Hello's sequence, which its Acks carry in their header.</summary>
    public ushort Epoch { get; set; }

    public void Send(WireMessage message, ushort sequence) => Feed(_writer.Write(message, sequence, _frame, 0));

    public void SendRaw(byte type, ushort sequence, byte[] payload) =>
        Feed(_writer.WriteRaw(type, sequence, payload, 0, payload.Length, _frame, 0));

    public void Hello(ushort sequence)
    {
        Epoch = sequence;
        Send(LinkMessages.Hello("peer"), sequence);
    }

    public void Ack(ushort acked, uint credits) => Send(new AckMessage(acked, credits), Epoch);

    public void Nack(ushort expected) => Send(new NackMessage(expected), Epoch);

    public void Credit(ushort acked, uint credits) => Send(new CreditMessage(credits), acked);

    public void Bytes(params byte[] bytes) => target.OnBytesReceived(bytes, 0, bytes.Length, Now);

    private void Feed(int length) => target.OnBytesReceived(_frame, 0, length, Now);
}

internal static class LinkMessages
{
    public static HelloMessage Hello(string boardId) => new()
    {
        ProtocolVersion = WireConstants.ProtocolVersion,
        FirmwareVersion = "0.1.0",
        BoardId = boardId,
        Role = BoardRole.Alice,
        TableBufferBytes = 4096,
        MaxPulseRateHz = 80_000,
        PulseEngine = PulseEngineKind.Emulated,
    };

    /// <summary>A data message whose BlockId numbers it, with a payload of a size that varies with the number.</summary>
    public static BasisChunkMessage Chunk(uint id) => new(id, id * 7, Enumerable.Range(0, (int)(id % 61)).Select(i => (byte)(i * 37 + id)).ToArray());
}
