using Qkd.Simulation.Devices.Gpio;

namespace Qkd.Simulation.Devices.Mux36D04;

/// <summary>
/// MUX36D04 on model wires EN, A0, A1. Break-before-make: after any change of EN or the address the
/// output is open for the transition time, then connects the addressed channel (if EN is high).
/// An open output reads <see cref="OpenVolts"/> (the amplifier input's bias resistor pulls it there).
/// </summary>
public sealed class Mux36D04Model
{
    private readonly SimClock _clock;
    private readonly int _enablePin;
    private readonly int _a0Pin;
    private readonly int _a1Pin;
    private bool _enabled;
    private int _address;
    private long _lastChangeNs = long.MinValue / 2;

    public Mux36D04Model(SimClock clock, ModelGpioDriver gpio, int enablePin, int a0Pin, int a1Pin, long transitionNs = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(transitionNs);
        _clock = clock;
        _enablePin = enablePin;
        _a0Pin = a0Pin;
        _a1Pin = a1Pin;
        TransitionNs = transitionNs;
        _enabled = gpio.IsHigh(enablePin);
        _address = (gpio.IsHigh(a1Pin) ? 2 : 0) | (gpio.IsHigh(a0Pin) ? 1 : 0);
        gpio.NameSignal(enablePin, "mux_en");
        gpio.NameSignal(a0Pin, "mux_a0");
        gpio.NameSignal(a1Pin, "mux_a1");
        gpio.AddListener(enablePin, OnPin);
        gpio.AddListener(a0Pin, OnPin);
        gpio.AddListener(a1Pin, OnPin);
    }

    /// <summary>Break-before-make transition time (about 100 ns: verify on the bench).</summary>
    public long TransitionNs { get; }

    public double OpenVolts { get; init; }

    /// <summary>Time of the last change of EN or address.</summary>
    public long LastChangeNs => _lastChangeNs;

    /// <summary>Connected channel 0..3 now, or -1 while disabled or in transition.</summary>
    public int ConnectedChannel => ConnectedChannelAt(_clock.NowNs);

    public int ConnectedChannelAt(long timeNs)
    {
        if (!_enabled || timeNs - _lastChangeNs < TransitionNs) return -1;
        return _address;
    }

    /// <summary>The output voltage now: the connected input of <paramref name="inputs"/>, or the open value.</summary>
    public double OutputVolts(IAnalogOutputs inputs)
    {
        var channel = ConnectedChannel;
        return channel < 0 ? OpenVolts : inputs.OutputVolts(channel);
    }

    private void OnPin(int pin, bool high, long timeNs)
    {
        if (pin == _enablePin) _enabled = high;
        else if (pin == _a0Pin) _address = (_address & 2) | (high ? 1 : 0);
        else if (pin == _a1Pin) _address = (_address & 1) | (high ? 2 : 0);
        _lastChangeNs = timeNs;
    }
}
