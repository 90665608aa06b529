using System.Device.Gpio;
using Qkd.Simulation.Devices.Gpio;

namespace Qkd.Simulation.Tests.Devices;

public class ModelGpioDriverTests
{
    [Fact]
    public void Firmware_output_is_visible_on_the_model_wire_and_traced()
    {
        var clock = new SimClock();
        var trace = new RecordingTrace();
        var driver = new ModelGpioDriver(64, clock, trace, "alice");
        driver.NameSignal(5, "mux_a0");
        using var controller = new GpioController(driver);
        var pin = controller.OpenPin(5, PinMode.Output);

        clock.Advance(100);
        pin.Write(PinValue.High);
        Assert.True(driver.IsHigh(5));
        clock.Advance(50);
        pin.Write(PinValue.Low);

        Assert.False(driver.IsHigh(5));
        Assert.Equal(2, driver.EdgeCount(5));
        Assert.Equal([("alice", "mux_a0", 0L, false), ("alice", "mux_a0", 100L, true), ("alice", "mux_a0", 150L, false)],
            trace.DigitalChanges);
    }

    [Fact]
    public void Driven_input_raises_value_changed_for_rising_and_falling_edges()
    {
        var driver = new ModelGpioDriver(16);
        using var controller = new GpioController(driver);
        var pin = controller.OpenPin(3, PinMode.Input);
        var seen = new List<PinEventTypes>();
        pin.ValueChanged += (_, e) => seen.Add(e.ChangeType);

        driver.DriveInput(3, true);
        driver.DriveInput(3, true); // no edge: same level
        driver.DriveInput(3, false);

        Assert.Equal([PinEventTypes.Rising, PinEventTypes.Falling], seen);
        Assert.Equal(PinValue.Low, pin.Read());
    }

    [Fact]
    public void Callback_registered_for_rising_only_ignores_falling_edges()
    {
        var driver = new ModelGpioDriver(16);
        using var controller = new GpioController(driver);
        controller.OpenPin(2, PinMode.Input);
        var rising = 0;
        controller.RegisterCallbackForPinValueChangedEvent(2, PinEventTypes.Rising, (_, _) => rising++);

        for (var i = 0; i < 3; i++)
        {
            driver.DriveInput(2, true);
            driver.DriveInput(2, false);
        }

        Assert.Equal(3, rising);
    }

    [Fact]
    public void Listener_sees_firmware_writes_with_the_virtual_time()
    {
        var clock = new SimClock(1_000);
        var driver = new ModelGpioDriver(16, clock);
        using var controller = new GpioController(driver);
        var pin = controller.OpenPin(7, PinMode.Output);
        var heard = new List<(bool, long)>();
        driver.AddListener(7, (_, high, t) => heard.Add((high, t)));

        pin.Write(PinValue.High);
        clock.Advance(20);
        pin.Write(PinValue.Low);

        Assert.Equal([(true, 1_000L), (false, 1_020L)], heard);
    }

    [Fact]
    public void Model_cannot_drive_a_firmware_output()
    {
        var driver = new ModelGpioDriver(16);
        using var controller = new GpioController(driver);
        controller.OpenPin(1, PinMode.Output);

        Assert.Throws<InvalidOperationException>(() => driver.DriveInput(1, true));
        Assert.False(driver.IsHigh(1));
    }

    [Fact]
    public void Pull_up_input_reads_high_until_driven()
    {
        var driver = new ModelGpioDriver(16);
        using var controller = new GpioController(driver);
        var pin = controller.OpenPin(4, PinMode.InputPullUp);
        Assert.Equal(PinValue.High, pin.Read());
        driver.DriveInput(4, false);
        Assert.Equal(PinValue.Low, pin.Read());
    }

    [Fact]
    public void Pin_outside_the_model_is_refused()
    {
        var driver = new ModelGpioDriver(8);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.DriveInput(8, true));
    }

    [Fact]
    public async Task Wait_for_event_returns_on_the_driven_edge_and_times_out_without_one()
    {
        var driver = new ModelGpioDriver(16);
        using var controller = new GpioController(driver);
        controller.OpenPin(6, PinMode.Input);

        var quiet = controller.WaitForEvent(6, PinEventTypes.Rising, TimeSpan.FromMilliseconds(30));
        Assert.True(quiet.TimedOut);

        var driving = Task.Run(async () =>
        {
            await Task.Delay(30);
            driver.DriveInput(6, true);
        });
        var result = controller.WaitForEvent(6, PinEventTypes.Rising, TimeSpan.FromSeconds(5));
        Assert.False(result.TimedOut);
        Assert.Equal(PinEventTypes.Rising, result.EventTypes);
        // The waiter can wake before DriveInput has returned on the other thread.
        await driving.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
