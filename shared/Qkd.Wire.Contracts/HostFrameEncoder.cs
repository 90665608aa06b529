using System.Buffers.Binary;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace Qkd.Wire.Contracts;

/// <summary>
/// Host-side framing of contracts: COBS(version | type | sequence LE | payload | CRC-32 LE) + 0x00,
/// with the CRC from System.IO.Hashing. Produces the same bytes as the portable FrameWriter.
/// </summary>
public static class HostFrameEncoder
{
    public static byte[] Encode(IWireContract message, ushort sequence) =>
        EncodeRaw(message.Type, sequence, WireSerializer.Serialize(message));

    public static byte[] EncodeRaw(byte type, ushort sequence, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > WireConstants.MaxPayloadBytes)
        {
            throw new WireFormatException($"payload of {payload.Length} bytes exceeds the {WireConstants.MaxPayloadBytes}-byte frame limit");
        }
        var body = new byte[WireConstants.HeaderBytes + payload.Length + WireConstants.CrcBytes];
        body[0] = WireConstants.ProtocolVersion;
        body[1] = type;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), sequence);
        payload.CopyTo(body.AsSpan(WireConstants.HeaderBytes));
        var crcAt = body.Length - WireConstants.CrcBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(crcAt), HashingCrc32.HashToUInt32(body.AsSpan(0, crcAt)));
        var frame = new byte[Cobs.MaxEncodedLength(body.Length) + 1];
        var encoded = Cobs.Encode(body, 0, body.Length, frame, 0);
        frame[encoded] = 0;
        return frame.AsSpan(0, encoded + 1).ToArray();
    }
}
