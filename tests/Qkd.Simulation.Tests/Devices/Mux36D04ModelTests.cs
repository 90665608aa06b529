using System.Device.Gpio;
using Qkd.Simulation.Devices;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Mux36D04;

namespace Qkd.Simulation.Tests.Devices;

public class Mux36D04ModelTests
{
    private const int En = 1, A0 = 2, A1 = 3;

    private sealed class FixedInputs : IAnalogOutputs
    {
        public double OutputVolts(int channel) => 10.0 * (channel + 1);
    }

    private static (SimClock, GpioController, Mux36D04Model, RecordingTrace) Rig(long transitionNs = 100)
    {
        var clock = new SimClock();
        var trace = new RecordingTrace();
        var gpio = new ModelGpioDriver(8, clock, trace, "bob");
        var controller = new GpioController(gpio);
        foreach (var pin in new[] { En, A0, A1 }) controller.OpenPin(pin, PinMode.Output, PinValue.Low);
        return (clock, controller, new Mux36D04Model(clock, gpio, En, A0, A1, transitionNs), trace);
    }

    [Fact]
    public void Output_is_open_during_the_transition_then_connects_the_new_channel()
    {
        var (clock, gpio, mux, _) = Rig();
        gpio.Write(En, PinValue.High);
        clock.Advance(1_000);
        Assert.Equal(0, mux.ConnectedChannel);

        gpio.Write(A1, PinValue.High); // 00 -> 10
        Assert.Equal(-1, mux.ConnectedChannel);
        clock.Advance(99);
        Assert.Equal(-1, mux.ConnectedChannel);
        Assert.Equal(0.0, mux.OutputVolts(new FixedInputs())); // never the old channel (break before make)
        clock.Advance(1);
        Assert.Equal(2, mux.ConnectedChannel);
        Assert.Equal(30.0, mux.OutputVolts(new FixedInputs()));
    }

    [Fact]
    public void Address_lines_changing_one_after_the_other_restart_the_transition()
    {
        var (clock, gpio, mux, _) = Rig();
        gpio.Write(En, PinValue.High);
        clock.Advance(500);
        gpio.Write(A0, PinValue.High);
        clock.Advance(60);
        gpio.Write(A1, PinValue.High);
        clock.Advance(60);
        Assert.Equal(-1, mux.ConnectedChannel); // 120 ns after the first change but 60 after the last
        clock.Advance(40);
        Assert.Equal(3, mux.ConnectedChannel);
    }

    [Fact]
    public void Enable_low_opens_every_switch()
    {
        var (clock, gpio, mux, _) = Rig();
        gpio.Write(En, PinValue.High);
        clock.Advance(500);
        gpio.Write(En, PinValue.Low);
        clock.Advance(500);
        Assert.Equal(-1, mux.ConnectedChannel);
    }

    [Fact]
    public void Mux_pins_are_traced_with_their_names()
    {
        var (clock, gpio, _, trace) = Rig();
        clock.Advance(10);
        gpio.Write(A0, PinValue.High);
        Assert.Contains(trace.DigitalChanges, c => c is { Scope: "bob", Signal: "mux_a0", TimeNs: 10, Value: true });
        Assert.Contains(trace.DigitalChanges, c => c.Signal == "mux_en");
        Assert.Contains(trace.DigitalChanges, c => c.Signal == "mux_a1");
    }
}
