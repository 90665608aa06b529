using System.Text;
using FsCheck.Xunit;
using PortableCrc32 = Qkd.Wire.Crc32;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace Qkd.Wire.Tests;

public class Crc32Tests
{
    [Fact]
    public void Check_value_of_123456789_is_CBF43926()
    {
        var data = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, PortableCrc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void Empty_input_gives_zero()
    {
        Assert.Equal(0u, PortableCrc32.Compute([], 0, 0));
    }

    [Property(MaxTest = 300)]
    public bool Equals_System_IO_Hashing_on_random_data(byte[] data) =>
        PortableCrc32.Compute(data, 0, data.Length) == HashingCrc32.HashToUInt32(data);

    [Property(MaxTest = 200)]
    public bool Honours_offset_and_count(byte[] data, byte skip, byte take)
    {
        var offset = Math.Min(skip, data.Length);
        var count = Math.Min(take, data.Length - offset);
        return PortableCrc32.Compute(data, offset, count) == HashingCrc32.HashToUInt32(data.AsSpan(offset, count));
    }
}
