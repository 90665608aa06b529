using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Tests.Engine;

public class PulseCodesTests
{
    [Fact]
    public void Alice_codes_are_two_bits_per_pulse_lsb_first()
    {
        // Pulses 0..3 = H, V, R, L -> 0b11_10_01_00.
        byte[] packed = [0b1110_0100, 0b0000_0011];
        Assert.Equal([0, 1, 2, 3, 3], Enumerable.Range(0, 5).Select(p => PulseCodes.Get(packed, p, 2)));
    }

    [Fact]
    public void Bob_codes_are_one_bit_per_pulse_lsb_first_as_in_the_wire_convention()
    {
        byte[] packed = [0b1000_0101, 0b0000_0001];
        int[] expected = [1, 0, 1, 0, 0, 0, 0, 1, 1];
        Assert.Equal(expected, Enumerable.Range(0, 9).Select(p => PulseCodes.Get(packed, p, 1)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Set_then_Get_round_trips_without_touching_neighbours(int bits)
    {
        var random = new Random(bits);
        var codes = Enumerable.Range(0, 1001).Select(_ => random.Next(1 << bits)).ToArray();
        var packed = new byte[PulseCodes.PackedLength(codes.Length, bits)];
        for (var i = 0; i < codes.Length; i++) PulseCodes.Set(packed, i, bits, codes[i]);
        for (var i = codes.Length - 1; i >= 0; i -= 7) PulseCodes.Set(packed, i, bits, codes[i]); // rewrite in place
        Assert.Equal(codes, Enumerable.Range(0, codes.Length).Select(p => PulseCodes.Get(packed, p, bits)));
    }
}
