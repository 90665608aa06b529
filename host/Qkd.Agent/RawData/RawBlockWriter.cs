using System.Buffers.Binary;
using System.IO.Hashing;
using Qkd.Agent.Sessions;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.RawData;

/// <summary>
/// Writes one side's block file through <see cref="DurableFile"/> (temporary name, fsync, rename, fsync of
/// the folder), so a crash leaves either the whole file or none; an existing block file is never replaced. Data must be on disk before post-processing starts.
/// </summary>
public static class RawBlockWriter
{
    public static void WriteAlice(string path, AliceBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long pulses = block.PulseCount;
        var data = new byte[RawBlockFormat.AliceHeaderBytes + (pulses * 2 + 7) / 8 + RawBlockFormat.CrcBytes];
        Header(data, RawBlockFormat.AliceMagic, block.BlockNumber, pulses);
        var packed = data.AsSpan(RawBlockFormat.AliceHeaderBytes);
        for (int i = 0; i < block.States.Length; i++)
        {
            byte v = block.States[i];
            if (v > 3) throw new ArgumentException($"Alice's state {v} at pulse {i} is not 0..3.");
            packed[i >> 2] |= (byte)(v << (2 * (i & 3)));
        }
        Seal(path, data);
    }

    public static void WriteBob(string path, BobBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        long pulses = block.PulseCount;
        int records = block.PulseIndices.Length;
        int basesBytes = (int)((pulses + 7) / 8);
        var data = new byte[RawBlockFormat.BobHeaderBytes + basesBytes + (long)records * RawBlockFormat.RecordBytes + RawBlockFormat.CrcBytes];
        Header(data, RawBlockFormat.BobMagic, block.BlockNumber, pulses);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(24), (ulong)records);
        block.Bases.ToPackedBytes().CopyTo(data.AsSpan(RawBlockFormat.BobHeaderBytes));
        int at = RawBlockFormat.BobHeaderBytes + basesBytes;
        for (int r = 0; r < records; r++, at += RawBlockFormat.RecordBytes)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(at), block.PulseIndices[r]);
            data[at + 8] = block.DetectorCodes[r];
        }
        Seal(path, data);
    }

    private static void Header(byte[] data, ReadOnlySpan<byte> magic, long blockNumber, long pulses)
    {
        magic.CopyTo(data);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), RawBlockFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), blockNumber);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16), pulses);
    }

    private static void Seal(string path, byte[] data)
    {
        var body = data.AsSpan(0, data.Length - RawBlockFormat.CrcBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(body.Length), Crc32.HashToUInt32(body));
        DurableFile.WriteAllBytes(path, data, overwrite: false); // a block number is written once
    }
}
