using System.Device.Gpio;
using Qkd.Firmware.Engine;
using Qkd.Simulation.Devices.Gpio;

namespace Qkd.Firmware.Tests.Engine;

/// <summary>
/// A board's pulse-path wiring on the GPIO model: the test fires trigger edges, reads the MUX address
/// lines, and plays the APD front end (a click injected for a pulse sets its latch when the gate
/// opens; the latch clear resets both latches).
/// </summary>
internal sealed class EngineBench : IDisposable
{
    public const int Trigger = 4, MuxEnable = 5, MuxA0 = 6, MuxA1 = 7, Gate = 8, Latch0 = 9, Latch1 = 10, LatchClear = 11;

    private readonly GpioController _gpio;
    private byte[]? _clicks;
    private GpioPin? _spare;

    public EngineBench(bool bob, ITriggerCounter? counter = null)
    {
        Driver = new ModelGpioDriver(pinCount: 32);
        _gpio = new GpioController(Driver);
        var pins = new ManagedEnginePins { Trigger = Trigger, MuxEnable = MuxEnable, MuxA0 = MuxA0 };
        if (bob)
        {
            pins.Gate = Gate;
            pins.Latch0 = Latch0;
            pins.Latch1 = Latch1;
            pins.LatchClear = LatchClear;
            Driver.AddListener(Gate, OnGate);
            Driver.AddListener(LatchClear, OnLatchClear);
        }
        else
        {
            pins.MuxA1 = MuxA1;
        }

        Driver.AddListener(Trigger, OnTriggerEdge);
        Engine = new ManagedPulseEngine(_gpio, pins, counter);
    }

    public ModelGpioDriver Driver { get; }

    public ManagedPulseEngine Engine { get; }

    /// <summary>Rising trigger edges so far: the true index of the pulse being fired is this minus one.</summary>
    public int TriggerEdges { get; private set; }

    /// <summary>Called inside the engine's handler each time the gate opens (after the click is latched).</summary>
    public Action<int>? DuringGate { get; set; }

    public int MuxCode => (Driver.IsHigh(MuxA0) ? 1 : 0) | (Driver.IsHigh(MuxA1) ? 2 : 0);

    /// <summary>Clicks to latch, one detector code per pulse (0 none, 1 APD0, 2 APD1, 3 both).</summary>
    public void InjectClicks(byte[] clicksPerPulse) => _clicks = clicksPerPulse;

    public void Fire()
    {
        Driver.DriveInput(Trigger, true);
        Driver.DriveInput(Trigger, false);
    }

    /// <summary>Level changes on the pins the firmware drives (the engine writes a pin only to change it).</summary>
    public long FirmwareOutputEdges() =>
        Driver.EdgeCount(MuxA0) + Driver.EdgeCount(MuxA1) + Driver.EdgeCount(Gate) + Driver.EdgeCount(LatchClear);

    /// <summary>
    /// Bytes the host's GPIO library allocates per GpioPin.Write, measured on a spare pin through the
    /// same call path the engine uses (the figure changes as the JIT re-compiles, so callers measure
    /// before and after and take the larger).
    /// </summary>
    public long HostBytesPerPinWrite()
    {
        const int spare = 20, writes = 2000;
        _spare ??= _gpio.OpenPin(spare, PinMode.Output);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < writes; i++) _spare.Write((i & 1) == 0 ? PinValue.Low : PinValue.High);
        return (GC.GetAllocatedBytesForCurrentThread() - before + writes - 1) / writes;
    }

    public void Dispose()
    {
        Engine.Dispose();
        _gpio.Dispose();
    }

    private void OnTriggerEdge(int pin, bool high, long timeNs)
    {
        if (high) TriggerEdges++;
    }

    private void OnGate(int pin, bool high, long timeNs)
    {
        if (!high) return;
        var pulse = TriggerEdges - 1;
        var click = _clicks is null || pulse >= _clicks.Length ? 0 : _clicks[pulse];
        if ((click & DetectorCode.Apd0) != 0) Driver.DriveInput(Latch0, true);
        if ((click & DetectorCode.Apd1) != 0) Driver.DriveInput(Latch1, true);
        DuringGate?.Invoke(pulse);
    }

    private void OnLatchClear(int pin, bool high, long timeNs)
    {
        if (!high) return;
        Driver.DriveInput(Latch0, false);
        Driver.DriveInput(Latch1, false);
    }
}
