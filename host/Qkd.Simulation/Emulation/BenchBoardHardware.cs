using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Engine;
using Qkd.Firmware.Roles;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Spi;
using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// The bench board's hardware for the firmware: the GPIO model's controller, the DAC's SPI wired to
/// the AD5754 model (with SCLK time and trace), and the firmware's own managed pulse engine (so the
/// MUX pins are opened exactly as on the board).
/// </summary>
internal sealed class BenchBoardHardware(GpioController gpio, Ad5754Model dac, SimClock clock, ISignalTrace? trace, string scope) : IBoardHardware
{
    public GpioController Gpio => gpio;

    public SpiDevice OpenSpi(SpiConnectionSettings settings) =>
        new ModelSpiDevice(settings, dac, clock, trace, scope) { RecordTransfers = false };

    public IPulseEngine OpenEngine(EngineSettings settings)
    {
        if (settings.Kind != Qkd.Wire.PulseEngineKind.Managed)
            throw new RoleException(Qkd.Wire.ErrorCode.Hardware, "the bench board emulates the managed engine's wiring only");
        return new ManagedPulseEngine(gpio, settings.Pins, null);
    }

    public void CloseEngine(IPulseEngine engine, EngineSettings settings)
    {
        engine.Stop();
        (engine as IDisposable)?.Dispose();
        BoardHardware.ClosePins(gpio, settings.Pins);
    }
}
