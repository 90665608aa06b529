using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using MessagePack;

namespace Qkd.Wire.Tests;

/// <summary>The portable MessagePack subset against MessagePack-CSharp, value by value and byte by byte.</summary>
public class MsgPackSubsetTests
{
    private delegate void ReferenceWrite(ref MessagePackWriter writer);

    private static byte[] Reference(ReferenceWrite write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Portable(Action<MsgPackWriter> write, int capacity = 80_000)
    {
        var buffer = new byte[capacity + 3];
        var writer = new MsgPackWriter(buffer, 3); // a non-zero offset, as inside a frame
        write(writer);
        return buffer[3..writer.Position];
    }

    private static MsgPackReader PortableReader(byte[] bytes) => new(bytes, 0, bytes.Length);

    /// <summary>
    /// FsCheck sizes plain integers to small magnitudes (about +-100), which would never reach the
    /// 16/32/64-bit encodings; this spreads an unsized value over every bit width evenly instead.
    /// </summary>
    internal static ulong SpreadUnsigned(DoNotSize<ulong> raw, byte width)
    {
        var bits = width % 65;
        return bits == 64 ? raw.Item : raw.Item & ((1UL << bits) - 1);
    }

    internal static long SpreadSigned(DoNotSize<ulong> raw, byte width)
    {
        var bits = width % 64;
        var magnitude = (long)(raw.Item & ((1UL << bits) - 1));
        return (raw.Item >> 63) == 0 ? magnitude : -magnitude - 1; // reaches long.MinValue at 63 bits
    }

    [Property(MaxTest = 500)]
    public void Signed_integers_match_MessagePack_CSharp_both_ways(DoNotSize<ulong> raw, byte width)
    {
        var value = SpreadSigned(raw, width);
        var bytes = Portable(w => w.WriteInt(value));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(value)), bytes);
        Assert.Equal(value, new MessagePackReader(bytes).ReadInt64());
        Assert.Equal(value, PortableReader(bytes).ReadInt());
    }

    [Property(MaxTest = 500)]
    public void Unsigned_integers_match_MessagePack_CSharp_both_ways(DoNotSize<ulong> raw, byte width)
    {
        var value = SpreadUnsigned(raw, width);
        var bytes = Portable(w => w.WriteUInt(value));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(value)), bytes);
        Assert.Equal(value, new MessagePackReader(bytes).ReadUInt64());
        Assert.Equal(value, PortableReader(bytes).ReadUInt());
    }

    [Property(MaxTest = 300)]
    public void Every_declared_field_width_serialises_as_MessagePack_CSharp(DoNotSize<int> i32Raw, DoNotSize<uint> u32Raw, DoNotSize<ushort> u16Raw, byte u8, DoNotSize<short> i16Raw, sbyte i8)
    {
        // Unsized, so the widths' extremes occur; smaller magnitudes are covered by the spread properties above.
        var (i32, u32, u16, i16) = (i32Raw.Item, u32Raw.Item, u16Raw.Item, i16Raw.Item);
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(i32)), Portable(w => w.WriteInt(i32)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(u32)), Portable(w => w.WriteUInt(u32)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(u16)), Portable(w => w.WriteUInt(u16)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(u8)), Portable(w => w.WriteUInt(u8)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(i16)), Portable(w => w.WriteInt(i16)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(i8)), Portable(w => w.WriteInt(i8)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(127L)]
    [InlineData(128L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(65535L)]
    [InlineData(65536L)]
    [InlineData(4294967295L)]
    [InlineData(4294967296L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    [InlineData(-32L)]
    [InlineData(-33L)]
    [InlineData(-128L)]
    [InlineData(-129L)]
    [InlineData(-32768L)]
    [InlineData(-32769L)]
    [InlineData(-2147483648L)]
    [InlineData(-2147483649L)]
    [InlineData(long.MinValue)]
    public void Integer_width_boundaries_match(long value)
    {
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(value)), Portable(w => w.WriteInt(value)));
        Assert.Equal(value, PortableReader(Portable(w => w.WriteInt(value))).ReadInt());
    }

    [Fact]
    public void Nil_and_bool_match()
    {
        Assert.Equal(Reference((ref MessagePackWriter w) => w.WriteNil()), Portable(w => w.WriteNil()));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(true)), Portable(w => w.WriteBool(true)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(false)), Portable(w => w.WriteBool(false)));
        Assert.True(PortableReader([0xC3]).ReadBool());
        Assert.False(PortableReader([0xC2]).ReadBool());
        Assert.True(PortableReader([0xC0]).TryReadNil());
        Assert.False(PortableReader([0x01]).TryReadNil());
    }

    [Property(MaxTest = 300)]
    public void Bin_matches_both_ways(byte[] data)
    {
        var bytes = Portable(w => w.WriteBin(data, 0, data.Length));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(data)), bytes);
        Assert.Equal(data, new MessagePackReader(bytes).ReadBytes()!.Value.ToArray());
        Assert.Equal(data, PortableReader(bytes).ReadBin());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Bin_8_16_32_boundaries_match(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var bytes = Portable(w => w.WriteBin(data, 0, data.Length));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(data)), bytes);
        Assert.Equal(data, PortableReader(bytes).ReadBin());
    }

    [Property(MaxTest = 300)]
    public void Strings_match_both_ways(NonNull<string> text)
    {
        var value = text.Get;
        var expected = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)); // lone surrogates become U+FFFD on both sides
        var bytes = Portable(w => w.WriteString(value));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(value)), bytes);
        Assert.Equal(expected, new MessagePackReader(bytes).ReadString());
        Assert.Equal(expected, PortableReader(bytes).ReadString());
        var fromReference = Reference((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(expected, PortableReader(fromReference).ReadString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Fixstr_str8_str16_str32_boundaries_match(int length)
    {
        var value = new string('q', length);
        var bytes = Portable(w => w.WriteString(value));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write(value)), bytes);
        Assert.Equal(value, PortableReader(bytes).ReadString());
    }

    [Property(MaxTest = 300)]
    public void Array_headers_match_both_ways(NonNegativeInt count)
    {
        var bytes = Portable(w => w.WriteArrayHeader(count.Get));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.WriteArrayHeader(count.Get)), bytes);
        Assert.Equal(count.Get, PortableReader(bytes).ReadArrayHeader());
    }

    [Fact]
    public void Null_bin_and_string_are_nil_as_in_MessagePack_CSharp()
    {
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write((byte[]?)null)), Portable(w => w.WriteBin(null!)));
        Assert.Equal(Reference((ref MessagePackWriter w) => w.Write((string?)null)), Portable(w => w.WriteString(null!)));
        Assert.Null(PortableReader([0xC0]).ReadBin());
        Assert.Null(PortableReader([0xC0]).ReadString());
    }

    [Fact]
    public void Out_of_range_and_wrong_type_throw_WireFormatException()
    {
        Assert.Throws<WireFormatException>(() => PortableReader([0xFF]).ReadUInt());          // -1 as unsigned
        Assert.Throws<WireFormatException>(() => PortableReader([0xCD, 0x01, 0x00]).ReadByte()); // 256 as byte
        Assert.Throws<WireFormatException>(() => PortableReader([0xCF, 0xFF, 0, 0, 0, 0, 0, 0, 0]).ReadInt()); // > long.MaxValue
        Assert.Throws<WireFormatException>(() => PortableReader([0xA1, 0x41]).ReadInt());      // string, not int
        Assert.Throws<WireFormatException>(() => PortableReader([0x80]).ReadArrayHeader());    // map: outside the subset
        Assert.Throws<WireFormatException>(() => PortableReader([0xC4, 0x05, 0x01]).ReadBin()); // bin past the end
        Assert.Throws<WireFormatException>(() => PortableReader([]).ReadBool());
    }

    [Fact]
    public void Writer_past_its_buffer_throws_WireFormatException()
    {
        var writer = new MsgPackWriter(new byte[4], 0);
        writer.WriteUInt(1);
        Assert.Throws<WireFormatException>(() => writer.WriteUInt(uint.MaxValue));
    }

    [Property(MaxTest = 500)]
    public void Any_bytes_read_either_as_values_or_as_WireFormatException(byte[] garbage)
    {
        var reader = PortableReader(garbage);
        try
        {
            while (reader.Remaining > 0)
            {
                reader.SkipValue();
            }
        }
        catch (WireFormatException)
        {
        }
    }
}
