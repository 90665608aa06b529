using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Engine;
using Qkd.Firmware.Roles;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Mux36D04;
using Qkd.Simulation.Devices.Spi;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// An emulated board's hardware behind the real firmware: the GPIO model, the AD5754 register model
/// on a ModelSpiDevice (with its LDAC and CLR pins), the MUX36D04 model on the address lines (Alice),
/// and the emulated hardware-timed pulse engine. When the role opens its engine (the last step of
/// Configure, after the DAC codes are written and read back) the settled DAC outputs times the
/// amplifier gain go to the bench as the EOM voltages.
/// </summary>
public sealed class EmulatedBoardHardware : IBoardHardware, IDisposable
{
    private readonly EmulatedOpticalBench _bench;
    private readonly EmulatedBoardOptions _options;
    private Mux36D04Model? _mux;

    public EmulatedBoardHardware(EmulatedOpticalBench bench, EmulatedBoardOptions options)
    {
        _bench = bench ?? throw new ArgumentNullException(nameof(bench));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Clock = new SimClock();
        Driver = new ModelGpioDriver(256, Clock, scope: options.BoardId);
        Gpio = new GpioController(Driver);
        Dac = new Ad5754Model(Clock, new Ad5754ModelOptions { TwosComplement = options.TwosComplement }, Driver,
            options.DacLdacPin, options.DacClrPin, scope: options.BoardId);
    }

    public SimClock Clock { get; }
    public ModelGpioDriver Driver { get; }
    public GpioController Gpio { get; }
    public Ad5754Model Dac { get; }

    /// <summary>Set by the board once the role exists: block number of an armed table buffer.</summary>
    public Func<PulseBlock, uint> BlockNumberOf { get; set; } = _ => 0;

    public SpiDevice OpenSpi(SpiConnectionSettings settings) => new ModelSpiDevice(settings, Dac, Clock) { RecordTransfers = false };

    public IPulseEngine OpenEngine(EngineSettings settings)
    {
        var isBob = _options.Role == Qkd.Wire.BoardRole.Bob;
        if (!isBob && _mux is null && settings.Pins.MuxA1 >= 0)
        {
            _mux = new Mux36D04Model(Clock, Driver, settings.Pins.MuxEnable, settings.Pins.MuxA0, settings.Pins.MuxA1);
        }
        Clock.Advance(1_000_000); // let the DAC outputs settle (10 us full scale) before reading them
        var channels = isBob ? 2 : 4;
        var volts = new double[channels];
        for (var c = 0; c < channels; c++) volts[c] = Dac.OutputVolts(c) * _options.AmplifierGain;
        _bench.SetChannelVolts(_options.Role, volts);
        return new EmulatedHardwareTimedEngine(_bench, isBob, BlockNumberOf, _options.MaxPulseRateHz);
    }

    public void CloseEngine(IPulseEngine engine, EngineSettings settings)
    {
        engine.Stop();
        BoardHardware.ClosePins(Gpio, settings.Pins);
    }

    public void Dispose() => Gpio.Dispose();
}
