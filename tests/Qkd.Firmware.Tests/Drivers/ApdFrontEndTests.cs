using System.Device.Gpio;
using Qkd.Firmware.Drivers;
using Qkd.Simulation.Devices.Gpio;

namespace Qkd.Firmware.Tests.Drivers;

public class ApdFrontEndTests
{
    private const int Latch0 = 30, Latch1 = 31, Clear = 32;

    [Theory]
    [InlineData(false, false, ApdFrontEnd.NoDetection)]
    [InlineData(true, false, ApdFrontEnd.Apd0)]
    [InlineData(false, true, ApdFrontEnd.Apd1)]
    [InlineData(true, true, ApdFrontEnd.BothApds)]
    public void Latches_give_the_detector_code(bool apd0, bool apd1, int code)
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var apd = new ApdFrontEnd(controller, Latch0, Latch1, Clear, 100, 40);
        gpio.DriveInput(Latch0, apd0);
        gpio.DriveInput(Latch1, apd1);
        Assert.Equal(code, apd.ReadLatches());
    }

    [Fact]
    public void Clear_pulses_the_clear_line_and_a_latch_model_resets()
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var apd = new ApdFrontEnd(controller, Latch0, Latch1, Clear, 100, 40);
        var pulses = new List<bool>();
        gpio.AddListener(Clear, (_, high, _) =>
        {
            pulses.Add(high);
            if (high) { gpio.DriveInput(Latch0, false); gpio.DriveInput(Latch1, false); } // the flip-flops' reset
        });
        gpio.DriveInput(Latch1, true);

        Assert.Equal(ApdFrontEnd.Apd1, apd.ReadAndClear());

        Assert.Equal([true, false], pulses);
        Assert.False(gpio.IsHigh(Clear));
        Assert.Equal(ApdFrontEnd.NoDetection, apd.ReadLatches());
    }

    [Fact]
    public void Gate_settings_are_kept_and_nonsense_refused()
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var apd = new ApdFrontEnd(controller, Latch0, Latch1, Clear, 120, 40);
        Assert.Equal(120, apd.GateDelayNs);
        Assert.Equal(40, apd.GateWidthNs);
        Assert.Throws<ArgumentOutOfRangeException>(() => apd.SetGate(100, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => apd.SetGate(-1, 40));
        Assert.Equal(40, apd.GateWidthNs);
        Assert.Throws<ArgumentException>(() => new ApdFrontEnd(controller, 40, 40, 41, 0, 40));
    }
}
