using Qkd.Wire.Contracts;

namespace Qkd.Wire.Fuzz;

/// <summary>
/// The fuzzing entry. The input is used twice: as bytes arriving on a link (through FrameReader, then
/// every intact frame through both decoders), and as one type byte plus a payload handed straight to
/// both decoders, so the fuzzer reaches the MessagePack and message code without forging CRCs.
/// Then it goes to a connected ReliableLink as the peer's bytes (<see cref="LinkFuzzTarget"/>).
/// WireFormatException is the only expected failure; any other exception, or the portable and host
/// decoders disagreeing, is a crash.
/// </summary>
public static class FrameFuzzTarget
{
    /// <summary>Small frame limit so the fuzzer reaches Oversize as well as full-size frames.</summary>
    public const int MaxPayloadBytes = 256;

    public static void Run(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FrameReader(MaxPayloadBytes);
        var frames = 0;
        foreach (var b in input)
        {
            if (reader.Push(b))
            {
                frames++;
                CheckFrame(reader);
            }
        }
        if (reader.EndOfStream())
        {
            frames++;
        }
        if (reader.GoodFrames + reader.BadFrames != frames)
        {
            throw new InvalidOperationException("frame counters disagree with the frames reported");
        }
        if (input.Length > 0)
        {
            CheckPayload(input[0], input[1..].ToArray());
        }
        LinkFuzzTarget.Run(input);
    }

    private static void CheckFrame(FrameReader reader)
    {
        if (reader.LastError != FrameError.None)
        {
            return;
        }
        CheckPayload(reader.Type, reader.Payload.AsSpan(0, reader.PayloadCount).ToArray());
    }

    private static void CheckPayload(byte type, byte[] payload)
    {
        WireMessage? portable;
        try
        {
            portable = MessageCodec.Decode(type, payload, 0, payload.Length);
        }
        catch (WireFormatException)
        {
            return;
        }
        if (portable is null)
        {
            return;
        }
        var canonical = Rewrite(portable);
        IWireContract host;
        try
        {
            host = WireSerializer.Deserialize(type, payload)
                   ?? throw new InvalidOperationException("host decoder does not know a type the portable decoder knows");
        }
        catch (WireFormatException e)
        {
            throw new InvalidOperationException("portable decoder accepted a payload the host decoder refused: " + e.Message);
        }
        if (!canonical.AsSpan().SequenceEqual(WireSerializer.Serialize(host)))
        {
            throw new InvalidOperationException("portable and host decoders read different field values");
        }
        var again = MessageCodec.Decode(portable.Type, canonical, 0, canonical.Length)!;
        if (!Rewrite(again).AsSpan().SequenceEqual(canonical))
        {
            throw new InvalidOperationException("decode(encode(message)) is not the message");
        }
    }

    private static byte[] Rewrite(WireMessage message)
    {
        var buffer = new byte[4 * MaxPayloadBytes];
        var writer = new MsgPackWriter(buffer, 0);
        message.Write(writer);
        return buffer.AsSpan(0, writer.Position).ToArray();
    }
}
