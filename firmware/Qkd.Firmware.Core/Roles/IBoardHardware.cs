#nullable disable
using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// Where a role gets its hardware when it applies Configure: the real board (<see cref="BoardHardware"/>),
    /// or device models and a model engine in tests and the emulator.
    /// </summary>
    public interface IBoardHardware
    {
        GpioController Gpio { get; }

        /// <summary>The DAC's SPI device (mode 2, 8-bit words, the given clock and chip select).</summary>
        SpiDevice OpenSpi(SpiConnectionSettings settings);

        /// <summary>
        /// A pulse engine of the requested kind on the given pins. Throws <see cref="RoleException"/>
        /// when this firmware has no such engine or the engine cannot follow the settings.
        /// </summary>
        IPulseEngine OpenEngine(EngineSettings settings);

        /// <summary>Stops and releases an engine from <see cref="OpenEngine"/>, closing the pins it opened.</summary>
        void CloseEngine(IPulseEngine engine, EngineSettings settings);
    }
}
