using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Drivers;
using Qkd.Simulation;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Spi;

namespace Qkd.Firmware.Tests.Drivers;

/// <summary>The AD5754 driver wired to the register-level model through model SPI and GPIO.</summary>
internal sealed class DacRig : IDisposable
{
    public const int LdacPin = 10;
    public const int ClrPin = 11;

    public DacRig(Ad5754BipolarCoding coding = Ad5754BipolarCoding.TwosComplement, bool wirePins = true)
    {
        Clock = new SimClock();
        Gpio = new ModelGpioDriver(64, Clock);
        Controller = new GpioController(Gpio);
        Model = new Ad5754Model(Clock, new Ad5754ModelOptions { TwosComplement = coding == Ad5754BipolarCoding.TwosComplement },
            Gpio, wirePins ? LdacPin : -1, wirePins ? ClrPin : -1);
        Spi = new ModelSpiDevice(new SpiConnectionSettings(0, 5) { Mode = SpiMode.Mode2, ClockFrequency = 10_000_000, DataBitLength = 8 }, Model);
        Dac = new Ad5754(Spi, Controller, wirePins ? LdacPin : -1, wirePins ? ClrPin : -1, coding);
    }

    public SimClock Clock { get; }
    public ModelGpioDriver Gpio { get; }
    public GpioController Controller { get; }
    public Ad5754Model Model { get; }
    public ModelSpiDevice Spi { get; }
    public Ad5754 Dac { get; }

    /// <summary>Every 24-bit frame the driver sent, in order.</summary>
    public int[] Frames => Spi.Transfers.Select(t => (t.Mosi[0] << 16) | (t.Mosi[1] << 8) | t.Mosi[2]).ToArray();

    /// <summary>Frames without the read-back traffic (read requests and the NOP after them).</summary>
    public int[] WriteFrames
    {
        get
        {
            var all = Frames;
            var writes = new List<int>();
            for (var i = 0; i < all.Length; i++)
            {
                if ((all[i] & 0x800000) != 0) { i++; continue; }
                writes.Add(all[i]);
            }
            return writes.ToArray();
        }
    }

    public void Dispose()
    {
        Dac.Dispose();
        Controller.Dispose();
    }
}
