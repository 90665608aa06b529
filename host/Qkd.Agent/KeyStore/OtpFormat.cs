using System.Text;

namespace Qkd.Agent.Keys;

/// <summary>
/// One-time-padded file: "QKDOTP" | version (1 byte) | range count (u16) | per range: session (u16 byte
/// count + UTF-8), block (i64), bit offset (i64), bit length (i64) | payload byte count (i64) | payload.
/// Little-endian. Payload byte j = plaintext byte j XOR key byte j, the key being the ranges' bits
/// concatenated in header order, packed LSB-first. The header names key positions only, never key bits.
/// </summary>
public static class OtpFormat
{
    public const byte Version = 1;
    public static ReadOnlySpan<byte> Magic => "QKDOTP"u8;
    private const int MaxRanges = 65_535;
    private const int MaxSessionBytes = 1024;

    public static void Write(Stream output, IReadOnlyList<KeyRange> ranges, ReadOnlySpan<byte> payload)
    {
        if (ranges.Count is 0 or > MaxRanges) throw new ArgumentException($"An OTP file holds 1..{MaxRanges} key ranges, not {ranges.Count}.", nameof(ranges));
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ushort)ranges.Count);
        foreach (var r in ranges)
        {
            byte[] session = Encoding.UTF8.GetBytes(r.Session);
            if (session.Length > MaxSessionBytes) throw new ArgumentException("Session name too long for an OTP header.", nameof(ranges));
            writer.Write((ushort)session.Length);
            writer.Write(session);
            writer.Write(r.Block);
            writer.Write(r.BitOffset);
            writer.Write(r.BitLength);
        }
        writer.Write((long)payload.Length);
        writer.Write(payload);
    }

    /// <summary>Reads a whole OTP file; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static (IReadOnlyList<KeyRange> Ranges, byte[] Payload) Read(Stream input)
    {
        using var reader = new BinaryReader(input, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException("not a QKDOTP file (magic missing).");
            byte version = reader.ReadByte();
            if (version != Version) throw new InvalidDataException($"QKDOTP version {version} is not supported (this qkd reads {Version}).");
            int count = reader.ReadUInt16();
            if (count == 0) throw new InvalidDataException("QKDOTP header names no key range.");
            var ranges = new KeyRange[count];
            long totalBits = 0;
            for (int i = 0; i < count; i++)
            {
                int sessionBytes = reader.ReadUInt16();
                if (sessionBytes is 0 or > MaxSessionBytes) throw new InvalidDataException($"key range {i}: session name of {sessionBytes} bytes.");
                string session = Encoding.UTF8.GetString(ReadExactly(reader, sessionBytes));
                long block = reader.ReadInt64(), offset = reader.ReadInt64(), length = reader.ReadInt64();
                if (offset < 0 || length <= 0 || length > int.MaxValue) throw new InvalidDataException($"key range {i}: offset {offset}, length {length} is invalid.");
                ranges[i] = new KeyRange(session, block, offset, length);
                totalBits += length;
            }
            long payloadBytes = reader.ReadInt64();
            if (payloadBytes * 8 != totalBits)
                throw new InvalidDataException($"header says {payloadBytes} payload bytes but its key ranges cover {totalBits} bits.");
            byte[] payload = ReadExactly(reader, checked((int)payloadBytes));
            if (input.CanSeek && input.Position != input.Length) throw new InvalidDataException("trailing bytes after the payload.");
            return (ranges, payload);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("file is truncated.");
        }
    }

    /// <summary>XORs <paramref name="pad"/> into <paramref name="data"/> (same length).</summary>
    public static void Xor(Span<byte> data, ReadOnlySpan<byte> pad)
    {
        if (pad.Length < data.Length) throw new ArgumentException("Pad shorter than data.", nameof(pad));
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(data);
        var padWords = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(pad[..data.Length]);
        for (int i = 0; i < words.Length; i++) words[i] ^= padWords[i];
        for (int i = words.Length * 8; i < data.Length; i++) data[i] ^= pad[i];
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        byte[] bytes = reader.ReadBytes(count);
        if (bytes.Length != count) throw new EndOfStreamException();
        return bytes;
    }
}
