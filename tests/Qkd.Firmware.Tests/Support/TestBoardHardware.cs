using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Engine;
using Qkd.Firmware.Roles;
using Qkd.Simulation;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Spi;

namespace Qkd.Firmware.Tests.Support;

/// <summary>
/// A board for role and session tests: GPIO and SPI are device models (the AD5754 register model on
/// the DAC's SPI and LDAC/CLR pins), and the pulse engine is a <see cref="ModelPulseEngine"/> or,
/// when asked, the real <see cref="ManagedPulseEngine"/> on the GPIO model.
/// </summary>
internal sealed class TestBoardHardware : IBoardHardware, IDisposable
{
    public TestBoardHardware(int ldacPin, int clrPin, bool twosComplement = true, bool managedEngine = false, ITriggerCounter? counter = null)
    {
        Clock = new SimClock();
        Driver = new ModelGpioDriver(64, Clock);
        Gpio = new GpioController(Driver);
        Dac = new Ad5754Model(Clock, new Ad5754ModelOptions { TwosComplement = twosComplement }, Driver, ldacPin, clrPin);
        UseManagedEngine = managedEngine;
        Counter = counter;
    }

    public SimClock Clock { get; }
    public ModelGpioDriver Driver { get; }
    public GpioController Gpio { get; }
    public Ad5754Model Dac { get; }
    public bool UseManagedEngine { get; }
    public ITriggerCounter? Counter { get; }

    public IPulseEngine? Engine { get; private set; }
    public ModelPulseEngine ModelEngine => (ModelPulseEngine)Engine!;
    public EngineSettings? LastSettings { get; private set; }
    public SpiConnectionSettings? LastSpiSettings { get; private set; }
    public int EnginesClosed { get; private set; }

    public SpiDevice OpenSpi(SpiConnectionSettings settings)
    {
        LastSpiSettings = settings;
        return new ModelSpiDevice(settings, Dac, Clock) { RecordTransfers = false };
    }

    public IPulseEngine OpenEngine(EngineSettings settings)
    {
        if (settings.Kind != Qkd.Wire.PulseEngineKind.Managed)
            throw new RoleException(Qkd.Wire.ErrorCode.Hardware, "only the managed engine kind is modelled");
        LastSettings = settings;
        Engine = UseManagedEngine
            ? new ManagedPulseEngine(Gpio, settings.Pins, Counter)
            : new ModelPulseEngine(bob: settings.Pins.Gate >= 0);
        return Engine;
    }

    public void CloseEngine(IPulseEngine engine, EngineSettings settings)
    {
        engine.Stop();
        (engine as IDisposable)?.Dispose();
        BoardHardware.ClosePins(Gpio, settings.Pins);
        EnginesClosed++;
    }

    public void Dispose() => Gpio.Dispose();
}
