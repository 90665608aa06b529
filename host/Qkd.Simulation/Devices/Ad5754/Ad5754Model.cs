using System.Device.Spi;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Spi;
using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Devices.Ad5754;

/// <summary>
/// Register-level AD5754(R): decodes 24-bit SPI mode 2 frames latched on SYNC rising, refuses (counts and
/// ignores) frames of the wrong length, mode or clock; DAC input/DAC registers, ranges, power control,
/// control settings; read-back on SDO during the next frame; LDAC and CLR pins; outputs that settle
/// exponentially to their targets and are 0 V unless both the channel and the reference are powered.
/// </summary>
public sealed class Ad5754Model : ISpiTarget, IAnalogOutputs
{
    public const int ChannelCount = 4;
    private const int FrameBytes = 3;
    private static readonly string[] VoutSignals = ["dac_vout_a", "dac_vout_b", "dac_vout_c", "dac_vout_d"];

    private readonly SimClock _clock;
    private readonly Ad5754ModelOptions _options;
    private readonly ISignalTrace? _trace;
    private readonly string _scope;
    private readonly double _tauNs;
    private readonly int[] _input = new int[ChannelCount];
    private readonly int[] _dac = new int[ChannelCount];
    private readonly int[] _range = new int[ChannelCount];
    private readonly double[] _startVolts = new double[ChannelCount];
    private readonly double[] _targetVolts = new double[ChannelCount];
    private readonly long[] _changeNs = new long[ChannelCount];
    private readonly int[] _readBackXor = new int[32];
    private readonly bool _ldacWired;
    private bool _ldacHigh;
    private int _powerControl;
    private int _settings;
    private int _alerts;
    private int _shiftIn;
    private int _bytesIn;
    private bool _frameRefused;
    private int _sdoWord;
    private int _nextSdoWord;

    public Ad5754Model(SimClock clock, Ad5754ModelOptions? options = null, ModelGpioDriver? gpio = null,
        int ldacPin = -1, int clrPin = -1, ISignalTrace? trace = null, string scope = "board")
    {
        _clock = clock;
        _options = options ?? new Ad5754ModelOptions();
        if (_options.FullScaleSettleNs <= 0) throw new ArgumentOutOfRangeException(nameof(options), "settle time must be positive");
        _tauNs = _options.FullScaleSettleNs / Math.Log(65536.0);
        _trace = trace;
        _scope = scope;
        if (ldacPin >= 0)
        {
            ArgumentNullException.ThrowIfNull(gpio);
            _ldacWired = true;
            _ldacHigh = gpio.IsHigh(ldacPin);
            gpio.NameSignal(ldacPin, "dac_ldac");
            gpio.AddListener(ldacPin, OnLdac);
        }
        if (clrPin >= 0)
        {
            ArgumentNullException.ThrowIfNull(gpio);
            gpio.AddListener(clrPin, OnClr);
        }
        for (var channel = 0; channel < ChannelCount; channel++) _trace?.Real(_scope, VoutSignals[channel], _clock.NowNs, 0.0);
    }

    /// <summary>Frames decoded and applied.</summary>
    public int AcceptedFrames { get; private set; }

    /// <summary>Frames ignored: not 24 bits, wrong SPI mode, SCLK too fast, reserved register.</summary>
    public int MalformedFrames { get; private set; }

    public int InputRegister(int channel) => _input[channel];

    public int DacRegister(int channel) => _dac[channel];

    public int RangeCode(int channel) => _range[channel];

    /// <summary>Power control register as read back: power bits 0..4, thermal alert bit 5, overcurrent bits 7..10.</summary>
    public int PowerControlRegister => _powerControl | _alerts;

    public int ControlSettings => _settings;

    /// <summary>Test hook: raise alerts (thermal shutdown; overcurrent mask bit 0 = A .. bit 3 = D).</summary>
    public void SetAlerts(bool thermalShutdown, int overcurrentMask) =>
        _alerts = (thermalShutdown ? 0x20 : 0) | ((overcurrentMask & 0xF) << 7);

    /// <summary>Fault injection: read-backs of this register/address come back with these bits flipped.</summary>
    public void InjectReadBackFault(int register, int address, int xorMask) => _readBackXor[(register & 7) * 8 + (address & 7)] = xorMask;

    /// <summary>Output voltage of a channel now, settling included.</summary>
    public double OutputVolts(int channel) => VoltsAt(channel, _clock.NowNs);

    /// <summary>Where the output is heading (its settled value).</summary>
    public double TargetVolts(int channel) => _targetVolts[channel];

    /// <summary>Writes the present output voltages to the trace (callers sample while time advances).</summary>
    public void TraceOutputs()
    {
        if (_trace is null) return;
        var now = _clock.NowNs;
        for (var channel = 0; channel < ChannelCount; channel++) _trace.Real(_scope, VoutSignals[channel], now, VoltsAt(channel, now));
    }

    public void FrameStart(SpiConnectionSettings settings)
    {
        _shiftIn = 0;
        _bytesIn = 0;
        _frameRefused = settings.Mode != SpiMode.Mode2 || settings.ClockFrequency > _options.MaxSclkHz;
        _sdoWord = _nextSdoWord;
        _nextSdoWord = 0;
    }

    public byte Exchange(byte mosi)
    {
        var sdo = (byte)(_bytesIn < FrameBytes && (_settings & 1) == 0 ? _sdoWord >> (8 * (FrameBytes - 1 - _bytesIn)) : 0);
        _shiftIn = (_shiftIn << 8) | mosi;
        _bytesIn++;
        return sdo;
    }

    public void FrameEnd()
    {
        if (_frameRefused || _bytesIn != FrameBytes)
        {
            MalformedFrames++;
            return;
        }
        Apply(_shiftIn & 0xFFFFFF);
    }

    private void Apply(int frame)
    {
        var read = (frame >> 23) & 1;
        var register = (frame >> 19) & 7;
        var address = (frame >> 16) & 7;
        var data = frame & 0xFFFF;
        if (register > 3)
        {
            MalformedFrames++;
            return;
        }
        AcceptedFrames++;
        if (read == 1)
        {
            _nextSdoWord = (frame & 0x7F0000) | ((ReadRegister(register, address) ^ _readBackXor[register * 8 + address]) & 0xFFFF);
            return;
        }
        switch (register)
        {
            case 0:
                for (var channel = FirstChannel(address); channel <= LastChannel(address); channel++)
                {
                    _input[channel] = data;
                    if (!_ldacWired || !_ldacHigh) _dac[channel] = data;
                }
                break;
            case 1:
                if ((data & 7) > 5) break; // 110, 111 are not ranges
                for (var channel = FirstChannel(address); channel <= LastChannel(address); channel++) _range[channel] = data & 7;
                break;
            case 2:
                _powerControl = data & 0x1F;
                break;
            case 3:
                ApplyControl(address, data);
                break;
        }
        UpdateTargets();
    }

    private int ReadRegister(int register, int address) => register switch
    {
        0 => address < ChannelCount ? _input[address] : 0,
        1 => address < ChannelCount ? _range[address] : 0,
        2 => PowerControlRegister,
        _ => address == 1 ? _settings : 0,
    };

    private void ApplyControl(int function, int data)
    {
        switch (function)
        {
            case 1: _settings = data & 0xF; break;
            case 4: ClearAll(); break;
            case 5: Array.Copy(_input, _dac, ChannelCount); break;
        }
    }

    /// <summary>CLR select 0: 0 V. 1: midscale (unipolar) or negative full scale (bipolar), per the datasheet.</summary>
    private void ClearAll()
    {
        var clearSelect = (_settings >> 1) & 1;
        for (var channel = 0; channel < ChannelCount; channel++)
        {
            var bipolar = _range[channel] >= 3;
            var offsetCode = bipolar ? (clearSelect == 0 ? 0x8000 : 0x0000) : (clearSelect == 0 ? 0x0000 : 0x8000);
            var code = bipolar && _options.TwosComplement ? offsetCode ^ 0x8000 : offsetCode;
            _input[channel] = code;
            _dac[channel] = code;
        }
    }

    private void OnLdac(int pin, bool high, long timeNs)
    {
        _ldacHigh = high;
        if (high) return;
        Array.Copy(_input, _dac, ChannelCount); // falling edge (and low level) loads the DAC registers
        UpdateTargets();
    }

    private void OnClr(int pin, bool high, long timeNs)
    {
        if (high) return;
        ClearAll();
        UpdateTargets();
    }

    // Address 0..3 is one channel, 100 all four; 101..111 address nothing (empty loop).
    private static int FirstChannel(int address) => address == 4 ? 0 : address;

    private static int LastChannel(int address) => address == 4 ? ChannelCount - 1 : address < ChannelCount ? address : -1;

    private void UpdateTargets()
    {
        var now = _clock.NowNs;
        var referenceOn = (_powerControl & 0x10) != 0;
        for (var channel = 0; channel < ChannelCount; channel++)
        {
            var powered = referenceOn && (_powerControl & (1 << channel)) != 0;
            var target = powered ? CodeToVolts(_dac[channel], _range[channel]) : 0.0;
            if (target == _targetVolts[channel]) continue;
            _startVolts[channel] = VoltsAt(channel, now);
            _targetVolts[channel] = target;
            _changeNs[channel] = now;
            _trace?.Real(_scope, VoutSignals[channel], now, _startVolts[channel]);
        }
    }

    private double VoltsAt(int channel, long timeNs)
    {
        var elapsed = timeNs - _changeNs[channel];
        if (elapsed <= 0) return _startVolts[channel];
        return _targetVolts[channel] + (_startVolts[channel] - _targetVolts[channel]) * Math.Exp(-elapsed / _tauNs);
    }

    private double CodeToVolts(int code, int range)
    {
        var (gain, bipolar) = range switch
        {
            0 => (2.0, false),
            1 => (4.0, false),
            2 => (4.32, false),
            3 => (4.0, true),
            4 => (8.0, true),
            _ => (8.64, true),
        };
        var span = _options.ReferenceVolts * gain;
        if (!bipolar) return span * code / 65536.0;
        var offsetCode = _options.TwosComplement ? code ^ 0x8000 : code;
        return span * offsetCode / 65536.0 - span / 2;
    }
}
