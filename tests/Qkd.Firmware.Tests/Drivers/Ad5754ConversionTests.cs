using Qkd.Firmware.Drivers;

namespace Qkd.Firmware.Tests.Drivers;

public class Ad5754ConversionTests
{
    private const double Ref = 2.5;
    private const Ad5754BipolarCoding Twos = Ad5754BipolarCoding.TwosComplement;
    private const Ad5754BipolarCoding Offset = Ad5754BipolarCoding.OffsetBinary;

    // range, coding, volts at the bottom rail / midscale / top rail, and the codes there
    [Theory]
    [InlineData(Ad5754OutputRange.Unipolar5V, Offset, 0.0, 2.5, 5.0, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Unipolar5V, Twos, 0.0, 2.5, 5.0, 0x0000, 0x8000, 0xFFFF)] // unipolar ignores the strap
    [InlineData(Ad5754OutputRange.Unipolar10V, Offset, 0.0, 5.0, 10.0, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Unipolar10V8, Twos, 0.0, 5.4, 10.8, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Bipolar5V, Offset, -5.0, 0.0, 5.0, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Bipolar5V, Twos, -5.0, 0.0, 5.0, 0x8000, 0x0000, 0x7FFF)]
    [InlineData(Ad5754OutputRange.Bipolar10V, Offset, -10.0, 0.0, 10.0, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Bipolar10V, Twos, -10.0, 0.0, 10.0, 0x8000, 0x0000, 0x7FFF)]
    [InlineData(Ad5754OutputRange.Bipolar10V8, Offset, -10.8, 0.0, 10.8, 0x0000, 0x8000, 0xFFFF)]
    [InlineData(Ad5754OutputRange.Bipolar10V8, Twos, -10.8, 0.0, 10.8, 0x8000, 0x0000, 0x7FFF)]
    public void Rails_and_midscale(Ad5754OutputRange range, Ad5754BipolarCoding coding,
        double bottom, double middle, double top, int bottomCode, int middleCode, int topCode)
    {
        Assert.Equal(bottom, Ad5754Conversion.MinVolts(range, Ref), 9);
        Assert.Equal(top, Ad5754Conversion.MaxVolts(range, Ref), 9);
        Assert.Equal(bottomCode, Ad5754Conversion.VoltsToCode(bottom, range, coding, Ref));
        Assert.Equal(middleCode, Ad5754Conversion.VoltsToCode(middle, range, coding, Ref));
        Assert.Equal(topCode, Ad5754Conversion.VoltsToCode(top, range, coding, Ref)); // clamped: top code is 1 LSB short

        var lsb = (top - bottom) / 65536;
        Assert.Equal(bottom, Ad5754Conversion.CodeToVolts(bottomCode, range, coding, Ref), 9);
        Assert.Equal(middle, Ad5754Conversion.CodeToVolts(middleCode, range, coding, Ref), 9);
        Assert.Equal(top - lsb, Ad5754Conversion.CodeToVolts(topCode, range, coding, Ref), 9);
        Assert.Equal(lsb, Ad5754Conversion.LsbVolts(range, Ref), 12);
    }

    [Theory]
    [InlineData(Ad5754OutputRange.Unipolar5V, -0.001)]
    [InlineData(Ad5754OutputRange.Unipolar10V, 10.0001)]
    [InlineData(Ad5754OutputRange.Bipolar5V, 5.01)]
    [InlineData(Ad5754OutputRange.Bipolar10V8, -10.81)]
    [InlineData(Ad5754OutputRange.Bipolar10V, double.NaN)]
    public void Volts_outside_the_range_are_refused_with_the_range_named(Ad5754OutputRange range, double volts)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ad5754Conversion.VoltsToCode(volts, range, Twos, Ref));
        Assert.Contains(Ad5754Conversion.RangeName(range), error.Message);
    }

    [Theory]
    [InlineData(Ad5754OutputRange.Bipolar10V, Twos)]
    [InlineData(Ad5754OutputRange.Bipolar5V, Offset)]
    [InlineData(Ad5754OutputRange.Unipolar10V8, Offset)]
    public void Every_code_round_trips_through_volts(Ad5754OutputRange range, Ad5754BipolarCoding coding)
    {
        for (var code = 0; code <= 0xFFFF; code += 257)
            Assert.Equal(code, Ad5754Conversion.VoltsToCode(Ad5754Conversion.CodeToVolts(code, range, coding, Ref), range, coding, Ref));
    }

    [Fact]
    public void Rounding_goes_to_the_nearest_lsb()
    {
        var lsb = Ad5754Conversion.LsbVolts(Ad5754OutputRange.Unipolar5V, Ref);
        Assert.Equal(100, Ad5754Conversion.VoltsToCode(100.4 * lsb, Ad5754OutputRange.Unipolar5V, Offset, Ref));
        Assert.Equal(101, Ad5754Conversion.VoltsToCode(100.6 * lsb, Ad5754OutputRange.Unipolar5V, Offset, Ref));
    }
}
