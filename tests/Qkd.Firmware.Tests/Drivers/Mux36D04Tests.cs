using System.Device.Gpio;
using Qkd.Firmware.Drivers;
using Qkd.Simulation;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Mux36D04;

namespace Qkd.Firmware.Tests.Drivers;

public class Mux36D04Tests
{
    private const int En = 20, A0 = 21, A1 = 22;

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(1, false, true)]
    [InlineData(2, true, false)]
    [InlineData(3, true, true)]
    public void Select_sets_a1_a0_to_the_channel_and_enables(int channel, bool a1, bool a0)
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var mux = new Mux36D04(controller, En, A0, A1);
        Assert.False(gpio.IsHigh(En)); // starts disabled

        mux.Select(channel);

        Assert.True(gpio.IsHigh(En));
        Assert.Equal(a1, gpio.IsHigh(A1));
        Assert.Equal(a0, gpio.IsHigh(A0));
        Assert.Equal(channel, mux.SelectedChannel);
    }

    [Fact]
    public void Disable_opens_every_switch()
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var mux = new Mux36D04(controller, En, A0, A1);
        mux.Select(2);
        mux.Disable();
        Assert.False(gpio.IsHigh(En));
        Assert.Equal(-1, mux.SelectedChannel);
        Assert.Throws<ArgumentOutOfRangeException>(() => mux.Select(4));
    }

    [Fact]
    public void Select_only_toggles_the_address_lines_that_change()
    {
        var gpio = new ModelGpioDriver(64);
        using var controller = new GpioController(gpio);
        using var mux = new Mux36D04(controller, En, A0, A1);
        mux.Select(1);
        var a0Edges = gpio.EdgeCount(A0);
        var a1Edges = gpio.EdgeCount(A1);

        mux.Select(3); // only A1 changes
        mux.Select(3); // nothing changes

        Assert.Equal(a0Edges, gpio.EdgeCount(A0));
        Assert.Equal(a1Edges + 1, gpio.EdgeCount(A1));
    }

    [Fact]
    public void Model_connects_the_selected_channel_after_the_transition()
    {
        var clock = new SimClock();
        var gpio = new ModelGpioDriver(64, clock);
        using var controller = new GpioController(gpio);
        using var mux = new Mux36D04(controller, En, A0, A1);
        var model = new Mux36D04Model(clock, gpio, En, A0, A1, transitionNs: 100);

        for (var channel = 0; channel < 4; channel++)
        {
            mux.Select(channel);
            clock.Advance(100);
            Assert.Equal(channel, model.ConnectedChannel);
        }
    }
}
