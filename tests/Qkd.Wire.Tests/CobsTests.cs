using FsCheck.Xunit;
using Qkd.Wire;

namespace Qkd.Wire.Tests;

public class CobsTests
{
    private static byte[] Encode(byte[] data)
    {
        var encoded = new byte[Cobs.MaxEncodedLength(data.Length)];
        var length = Cobs.Encode(data, 0, data.Length, encoded, 0);
        return encoded[..length];
    }

    private static byte[]? Decode(byte[] encoded)
    {
        var decoded = new byte[encoded.Length];
        var length = Cobs.Decode(encoded, 0, encoded.Length, decoded, 0);
        return length < 0 ? null : decoded[..length];
    }

    [Property(MaxTest = 300)]
    public bool Round_trip_restores_the_input(byte[] data) => Decode(Encode(data))!.AsSpan().SequenceEqual(data);

    [Property(MaxTest = 300)]
    public bool Output_has_no_zero_byte(byte[] data) => Array.IndexOf(Encode(data), (byte)0) < 0;

    [Property(MaxTest = 300)]
    public bool Overhead_is_at_most_one_byte_per_254_plus_one(byte[] data) =>
        Encode(data).Length <= data.Length + data.Length / 254 + 1;

    [Theory]
    [InlineData(0)]
    [InlineData(253)]
    [InlineData(254)]
    [InlineData(255)]
    [InlineData(508)]
    [InlineData(1000)]
    public void Long_runs_without_zero_round_trip(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i % 255 + 1)).ToArray();
        Assert.Equal(data, Decode(Encode(data)));
        Assert.True(Encode(data).Length <= Cobs.MaxEncodedLength(length));
    }

    [Fact]
    public void Known_vectors_from_the_cobs_paper_examples()
    {
        Assert.Equal(new byte[] { 0x01, 0x01 }, Encode([0x00]));
        Assert.Equal(new byte[] { 0x03, 0x11, 0x22, 0x02, 0x33 }, Encode([0x11, 0x22, 0x00, 0x33]));
        Assert.Equal(new byte[] { 0x01, 0x01, 0x01 }, Encode([0x00, 0x00]));
    }

    [Fact]
    public void Zero_inside_or_run_past_the_end_is_malformed()
    {
        Assert.Null(Decode([0x03, 0x11, 0x00]));
        Assert.Null(Decode([0x05, 0x11, 0x22]));
        Assert.Null(Decode([0x00]));
    }
}
