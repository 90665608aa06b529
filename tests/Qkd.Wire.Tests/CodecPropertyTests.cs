using System.Buffers;
using FsCheck;
using FsCheck.Xunit;
using MessagePack;
using HashingCrc32 = System.IO.Hashing.Crc32;
using PortableCrc32 = Qkd.Wire.Crc32;

namespace Qkd.Wire.Tests;

/// <summary>
/// FsCheck properties beyond the per-value ones: long zero-free runs and garbage for COBS, running
/// and error-detecting CRC, and mixed MessagePack sequences against MessagePack-CSharp.
/// </summary>
public class CodecPropertyTests
{
    /// <summary>Frame-sized data with few zeros, so 254-byte runs (COBS's special case) actually occur.</summary>
    private static byte[] SparseZeros(int seed, int length)
    {
        var random = new Random(seed);
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = random.Next(400) == 0 ? (byte)0 : (byte)random.Next(1, 256);
        }
        return data;
    }

    [Property(MaxTest = 200)]
    public void Cobs_round_trips_frame_sized_data_with_long_zero_free_runs(int seed, byte lengthSelector)
    {
        var data = SparseZeros(seed, lengthSelector * 5); // 0 .. 1275 bytes
        var encoded = new byte[Cobs.MaxEncodedLength(data.Length)];
        var length = Cobs.Encode(data, 0, data.Length, encoded, 0);
        Assert.DoesNotContain((byte)0, encoded[..length]);
        var decoded = new byte[length];
        Assert.Equal(data, decoded[..Cobs.Decode(encoded, 0, length, decoded, 0)]);
    }

    [Property(MaxTest = 500)]
    public void Cobs_decoding_any_bytes_never_throws_and_never_writes_more_than_it_read(byte[] garbage)
    {
        var output = new byte[garbage.Length];
        var length = Cobs.Decode(garbage, 0, garbage.Length, output, 0);
        Assert.InRange(length, -1, garbage.Length);
        if (Array.IndexOf(garbage, (byte)0) >= 0)
        {
            Assert.Equal(-1, length); // a delimiter inside a frame body is never valid COBS
        }
    }

    [Property(MaxTest = 300)]
    public void Crc_computed_in_pieces_equals_the_whole(byte[] data, byte cut)
    {
        var at = data.Length == 0 ? 0 : cut % (data.Length + 1);
        var state = PortableCrc32.Update(PortableCrc32.Start(), data, 0, at);
        state = PortableCrc32.Update(state, data, at, data.Length - at);
        Assert.Equal(HashingCrc32.HashToUInt32(data), PortableCrc32.Finish(state));
    }

    [Property(MaxTest = 300)]
    public void Crc_detects_every_single_and_double_bit_flip(NonEmptyArray<byte> input, int first, int second)
    {
        var data = input.Get;
        var bits = data.Length * 8;
        var original = PortableCrc32.Compute(data, 0, data.Length);
        var flipped = (byte[])data.Clone();
        var a = (int)((uint)first % (uint)bits);
        flipped[a / 8] ^= (byte)(1 << (a % 8));
        Assert.NotEqual(original, PortableCrc32.Compute(flipped, 0, flipped.Length));
        var b = (int)((uint)second % (uint)bits);
        if (b != a)
        {
            flipped[b / 8] ^= (byte)(1 << (b % 8)); // CRC-32 has Hamming distance >= 3 far beyond frame sizes
            Assert.NotEqual(original, PortableCrc32.Compute(flipped, 0, flipped.Length));
        }
    }

    /// <summary>One value of the subset: kind picks nil, bool, signed, unsigned, bin or string.</summary>
    public sealed record Item(byte Kind, DoNotSize<ulong> Raw, byte Width, byte[] Bytes, string Text)
    {
        public long Signed => MsgPackSubsetTests.SpreadSigned(Raw, Width);
        public ulong Unsigned => MsgPackSubsetTests.SpreadUnsigned(Raw, Width);
    }

    [Property(MaxTest = 300)]
    public void Mixed_sequences_are_byte_identical_to_MessagePack_CSharp_and_read_back_by_both(Item[] items)
    {
        items = items.Where(i => i.Bytes is not null && i.Text is not null).ToArray();
        var portableBuffer = new byte[1 << 16];
        var portable = new MsgPackWriter(portableBuffer, 0);
        var referenceBuffer = new ArrayBufferWriter<byte>();
        var reference = new MessagePackWriter(referenceBuffer);
        portable.WriteArrayHeader(items.Length);
        reference.WriteArrayHeader(items.Length);
        foreach (var item in items)
        {
            switch (item.Kind % 6)
            {
                case 0: portable.WriteNil(); reference.WriteNil(); break;
                case 1: portable.WriteBool(item.Signed % 2 == 0); reference.Write(item.Signed % 2 == 0); break;
                case 2: portable.WriteInt(item.Signed); reference.Write(item.Signed); break;
                case 3: portable.WriteUInt(item.Unsigned); reference.Write(item.Unsigned); break;
                case 4: portable.WriteBin(item.Bytes, 0, item.Bytes.Length); reference.Write(item.Bytes); break;
                default: portable.WriteString(item.Text); reference.Write(item.Text); break;
            }
        }
        reference.Flush();
        var bytes = portableBuffer[..portable.Position];
        Assert.Equal(referenceBuffer.WrittenSpan.ToArray(), bytes);

        var reader = new MsgPackReader(bytes, 0, bytes.Length);
        Assert.Equal(items.Length, reader.ReadArrayHeader());
        foreach (var item in items)
        {
            switch (item.Kind % 6)
            {
                case 0: Assert.True(reader.TryReadNil()); break;
                case 1: Assert.Equal(item.Signed % 2 == 0, reader.ReadBool()); break;
                case 2: Assert.Equal(item.Signed, reader.ReadInt()); break;
                case 3: Assert.Equal(item.Unsigned, reader.ReadUInt()); break;
                case 4: Assert.Equal(item.Bytes, reader.ReadBin()); break;
                default: Assert.Equal(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(item.Text)), reader.ReadString()); break;
            }
        }
        Assert.Equal(0, reader.Remaining);

        var skipper = new MsgPackReader(bytes, 0, bytes.Length);
        skipper.SkipValue(); // the whole array in one skip
        Assert.Equal(0, skipper.Remaining);
    }

    [Property(MaxTest = 500)]
    public void Narrow_readers_accept_exactly_the_values_that_fit(DoNotSize<ulong> raw, byte width)
    {
        var value = MsgPackSubsetTests.SpreadUnsigned(raw, width);
        var buffer = new byte[9];
        var count = new MsgPackWriter(buffer, 0) is var w ? Written(w, value) : 0;
        AssertFits(value <= byte.MaxValue, () => new MsgPackReader(buffer, 0, count).ReadByte(), value);
        AssertFits(value <= ushort.MaxValue, () => new MsgPackReader(buffer, 0, count).ReadUInt16(), value);
        AssertFits(value <= uint.MaxValue, () => new MsgPackReader(buffer, 0, count).ReadUInt32(), value);
        AssertFits(value <= int.MaxValue, () => new MsgPackReader(buffer, 0, count).ReadInt32(), value);
    }

    private static int Written(MsgPackWriter writer, ulong value)
    {
        writer.WriteUInt(value);
        return writer.Position;
    }

    private static void AssertFits<T>(bool fits, Func<T> read, ulong expected)
    {
        if (fits)
        {
            Assert.Equal(expected, Convert.ToUInt64(read()));
        }
        else
        {
            Assert.Throws<WireFormatException>(() => read());
        }
    }
}
