using System.Buffers.Binary;
using System.IO.Hashing;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.RawData;

/// <summary>Reads one side's block file; any defect is a <see cref="RawDataException"/> naming file and offset.</summary>
public static class RawBlockReader
{
    public static AliceBlock ReadAlice(string path)
    {
        byte[] data = ReadAll(path);
        var (block, pulses) = Header(path, data, RawBlockFormat.AliceMagic, "Alice", RawBlockFormat.AliceHeaderBytes);
        long packedBytes = (pulses * 2 + 7) / 8;
        CheckLength(path, data, RawBlockFormat.AliceHeaderBytes + packedBytes, $"{pulses} pulses of 2 bits");
        var states = new byte[pulses];
        var packed = data.AsSpan(RawBlockFormat.AliceHeaderBytes);
        for (int i = 0; i < states.Length; i++) states[i] = (byte)((packed[i >> 2] >> (2 * (i & 3))) & 3);
        return new AliceBlock(block, states);
    }

    public static BobBlock ReadBob(string path)
    {
        byte[] data = ReadAll(path);
        var (block, pulses) = Header(path, data, RawBlockFormat.BobMagic, "Bob", RawBlockFormat.BobHeaderBytes);
        ulong records = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(24));
        if (records > (ulong)pulses)
            throw new RawDataException(path, 24, $"{records} detection records for {pulses} pulses");
        long basesBytes = (pulses + 7) / 8;
        CheckLength(path, data, RawBlockFormat.BobHeaderBytes + basesBytes + (long)records * RawBlockFormat.RecordBytes,
            $"{pulses} basis bits and {records} records of {RawBlockFormat.RecordBytes} bytes");
        var bases = BitVector.FromPackedBytes(data.AsSpan(RawBlockFormat.BobHeaderBytes, (int)basesBytes), (int)pulses);
        var indices = new long[records];
        var codes = new byte[records];
        int at = RawBlockFormat.BobHeaderBytes + (int)basesBytes;
        long previous = -1;
        for (int r = 0; r < indices.Length; r++, at += RawBlockFormat.RecordBytes)
        {
            long pulse = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at));
            if (pulse <= previous || pulse >= pulses)
                throw new RawDataException(path, at, $"record {r}: pulse index {pulse} is not increasing or outside 0..{pulses - 1}");
            if (data[at + 8] > 3) throw new RawDataException(path, at + 8, $"record {r}: detector code {data[at + 8]} is not 0..3");
            indices[r] = previous = pulse;
            codes[r] = data[at + 8];
        }
        return new BobBlock(block, bases, indices, codes);
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RawDataException(path, 0, "file not found");
        }
    }

    private static (long Block, long Pulses) Header(string path, byte[] data, ReadOnlySpan<byte> magic, string side, int headerBytes)
    {
        if (data.Length < headerBytes)
            throw new RawDataException(path, data.Length, $"truncated: the {side} header needs {headerBytes} bytes, the file has {data.Length}");
        if (!data.AsSpan(0, 4).SequenceEqual(magic))
            throw new RawDataException(path, 0, $"not a {side} raw block file (magic is not '{System.Text.Encoding.ASCII.GetString(magic)}')");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4));
        if (version != RawBlockFormat.Version)
            throw new RawDataException(path, 4, $"format version {version} is not supported (this build reads {RawBlockFormat.Version})");
        long block = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8));
        long pulses = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(16));
        if (pulses is < 0 or > RawBlockFormat.MaxPulses)
            throw new RawDataException(path, 16, $"pulse count {pulses} is outside 0..{RawBlockFormat.MaxPulses}");
        return (block, pulses);
    }

    private static void CheckLength(string path, byte[] data, long bodyBytes, string what)
    {
        long expected = bodyBytes + RawBlockFormat.CrcBytes;
        if (data.Length < expected)
            throw new RawDataException(path, data.Length, $"truncated: {what} need {expected} bytes, the file ends after {data.Length}");
        if (data.Length > expected)
            throw new RawDataException(path, expected, $"{data.Length - expected} unexpected bytes after the end of the block");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)bodyBytes));
        if (stored != Crc32.HashToUInt32(data.AsSpan(0, (int)bodyBytes)))
            throw new RawDataException(path, bodyBytes, "CRC-32 mismatch: the file is corrupt");
    }
}
