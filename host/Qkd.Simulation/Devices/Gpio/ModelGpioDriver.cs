using System.Device.Gpio;
using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Devices.Gpio;

/// <summary>Called when a model wire changes level (firmware write or model drive).</summary>
public delegate void PinListener(int pin, bool high, long timeNs);

/// <summary>
/// A GPIO controller whose pins are model wires. Firmware gets a real
/// <c>new GpioController(driver)</c>; tests and device models read the outputs, drive the inputs
/// (raising the firmware's ValueChanged callbacks on rising/falling edges), listen to pins, and every
/// level change of a named pin goes to the trace. Nothing allocates per edge.
/// </summary>
public sealed class ModelGpioDriver : GpioDriver
{
    private readonly object _sync = new();
    private readonly int _pinCount;
    private readonly SimClock? _clock;
    private readonly ISignalTrace? _trace;
    private readonly string _scope;
    private readonly bool[] _open;
    private readonly bool[] _high;
    private readonly bool[] _drivenExternally;
    private readonly PinMode[] _mode;
    private readonly long[] _edges;
    private readonly string?[] _signal;
    private readonly PinListener?[] _listeners;
    private readonly Subscription[][] _callbacks;
    private readonly PinValueChangedEventArgs[] _risingArgs;
    private readonly PinValueChangedEventArgs[] _fallingArgs;

    public ModelGpioDriver(int pinCount = 256, SimClock? clock = null, ISignalTrace? trace = null, string scope = "board")
    {
        if (pinCount <= 0) throw new ArgumentOutOfRangeException(nameof(pinCount), pinCount, "need at least one pin");
        _pinCount = pinCount;
        _clock = clock;
        _trace = trace;
        _scope = scope;
        _open = new bool[pinCount];
        _high = new bool[pinCount];
        _drivenExternally = new bool[pinCount];
        _mode = new PinMode[pinCount];
        _edges = new long[pinCount];
        _signal = new string?[pinCount];
        _listeners = new PinListener?[pinCount];
        _callbacks = new Subscription[pinCount][];
        _risingArgs = new PinValueChangedEventArgs[pinCount];
        _fallingArgs = new PinValueChangedEventArgs[pinCount];
        for (var pin = 0; pin < pinCount; pin++)
        {
            _callbacks[pin] = [];
            _mode[pin] = PinMode.Input;
            _risingArgs[pin] = new PinValueChangedEventArgs(PinEventTypes.Rising, pin);
            _fallingArgs[pin] = new PinValueChangedEventArgs(PinEventTypes.Falling, pin);
        }
    }

    public string Scope => _scope;

    /// <summary>Names a pin for the trace (e.g. "mux_a0"); its current level is traced at once.</summary>
    public void NameSignal(int pin, string signal)
    {
        Check(pin);
        _signal[pin] = signal;
        _trace?.Digital(_scope, signal, Now, _high[pin]);
    }

    /// <summary>Level of the wire now (what an oscilloscope on the pin shows).</summary>
    public bool IsHigh(int pin)
    {
        Check(pin);
        lock (_sync) return _high[pin];
    }

    public bool IsOpen(int pin)
    {
        Check(pin);
        lock (_sync) return _open[pin];
    }

    /// <summary>True when the firmware opened the pin as an output.</summary>
    public bool IsOutput(int pin)
    {
        Check(pin);
        lock (_sync) return _open[pin] && IsOutputMode(_mode[pin]);
    }

    /// <summary>Level changes so far on the pin (both directions).</summary>
    public long EdgeCount(int pin)
    {
        Check(pin);
        lock (_sync) return _edges[pin];
    }

    /// <summary>
    /// Drives a pin from outside the MCU (a model output, a test). Refused on a pin the firmware
    /// drives as an output: two drivers on one wire is a wiring fault.
    /// </summary>
    public void DriveInput(int pin, bool high)
    {
        Check(pin);
        lock (_sync)
        {
            if (_open[pin] && IsOutputMode(_mode[pin]))
                throw new InvalidOperationException($"pin {pin} is a firmware output; a model cannot drive it");
            _drivenExternally[pin] = true;
        }
        SetLevel(pin, high);
    }

    /// <summary>Calls <paramref name="listener"/> on every level change of <paramref name="pin"/>.</summary>
    public void AddListener(int pin, PinListener listener)
    {
        Check(pin);
        lock (_sync) _listeners[pin] = (PinListener?)Delegate.Combine(_listeners[pin], listener);
    }

    public void RemoveListener(int pin, PinListener listener)
    {
        Check(pin);
        lock (_sync) _listeners[pin] = (PinListener?)Delegate.Remove(_listeners[pin], listener);
    }

    protected override int PinCount => _pinCount;

    protected override void OpenPin(int pinNumber)
    {
        Check(pinNumber);
        lock (_sync) _open[pinNumber] = true;
    }

    protected override void ClosePin(int pinNumber)
    {
        Check(pinNumber);
        lock (_sync)
        {
            _open[pinNumber] = false;
            _mode[pinNumber] = PinMode.Input;
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        Check(pinNumber);
        bool? pulledLevel = null;
        lock (_sync)
        {
            _mode[pinNumber] = mode;
            if (!_drivenExternally[pinNumber] && mode == PinMode.InputPullUp) pulledLevel = true;
            if (!_drivenExternally[pinNumber] && mode == PinMode.InputPullDown) pulledLevel = false;
        }
        if (pulledLevel is bool level) SetLevel(pinNumber, level);
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        Check(pinNumber);
        lock (_sync) return _mode[pinNumber];
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    protected override PinValue Read(int pinNumber) => IsHigh(pinNumber) ? PinValue.High : PinValue.Low;

    protected override void Toggle(int pinNumber) => Write(pinNumber, IsHigh(pinNumber) ? PinValue.Low : PinValue.High);

    protected override void Write(int pinNumber, PinValue value)
    {
        Check(pinNumber);
        lock (_sync)
        {
            if (!_open[pinNumber]) throw new InvalidOperationException($"pin {pinNumber} is not open");
            if (!IsOutputMode(_mode[pinNumber])) throw new InvalidOperationException($"pin {pinNumber} is not an output");
        }
        SetLevel(pinNumber, value == PinValue.High);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        Check(pinNumber);
        lock (_sync)
        {
            var startEdges = _edges[pinNumber];
            while (!cancellationToken.IsCancellationRequested)
            {
                Monitor.Wait(_sync, 5);
                if (_edges[pinNumber] == startEdges) continue;
                var type = _high[pinNumber] ? PinEventTypes.Rising : PinEventTypes.Falling;
                if ((eventTypes & type) != 0) return new WaitForEventResult { EventTypes = type, TimedOut = false };
                startEdges = _edges[pinNumber];
            }
        }
        return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        Check(pinNumber);
        lock (_sync)
        {
            var old = _callbacks[pinNumber];
            var grown = new Subscription[old.Length + 1];
            Array.Copy(old, grown, old.Length);
            grown[old.Length] = new Subscription(eventTypes, callback);
            _callbacks[pinNumber] = grown;
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        Check(pinNumber);
        lock (_sync) _callbacks[pinNumber] = Array.FindAll(_callbacks[pinNumber], s => s.Handler != callback);
    }

    private long Now => _clock?.NowNs ?? 0;

    private static bool IsOutputMode(PinMode mode) => mode == PinMode.Output;

    private void SetLevel(int pin, bool high)
    {
        PinListener? listeners;
        Subscription[] callbacks;
        long now;
        lock (_sync)
        {
            if (_high[pin] == high) return;
            _high[pin] = high;
            _edges[pin]++;
            listeners = _listeners[pin];
            callbacks = _callbacks[pin];
            now = Now;
            Monitor.PulseAll(_sync);
        }
        var signal = _signal[pin];
        if (signal is not null) _trace?.Digital(_scope, signal, now, high);
        listeners?.Invoke(pin, high, now);
        var type = high ? PinEventTypes.Rising : PinEventTypes.Falling;
        var args = high ? _risingArgs[pin] : _fallingArgs[pin];
        foreach (var subscription in callbacks)
            if ((subscription.Types & type) != 0) subscription.Handler(this, args);
    }

    private void Check(int pin)
    {
        if ((uint)pin >= (uint)_pinCount)
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"the model has pins 0..{_pinCount - 1}");
    }

    private readonly record struct Subscription(PinEventTypes Types, PinChangeEventHandler Handler);
}
