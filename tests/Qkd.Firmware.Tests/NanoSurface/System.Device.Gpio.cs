// Declared reference surface: nanoFramework.System.Device.Gpio 1.1.x (the API shared with .NET IoT,
// plus nanoFramework's DebounceTimeout and PinValueChangedEventHandler). No PinValuePair/Span overloads,
// no GpioController(GpioDriver) (.NET IoT only). NOT compiled into the test assembly.
#pragma warning disable
namespace System.Device.Gpio
{
    public enum PinMode
    {
        Input, Output, InputPullDown, InputPullUp,
        OutputOpenDrain, OutputOpenDrainPullUp, OutputOpenSource, OutputOpenSourcePullDown,
    }

    [Flags]
    public enum PinEventTypes { None = 0, Rising = 1, Falling = 2 }

    public enum PinNumberingScheme { Logical, Board }

    public readonly struct PinValue
    {
        private readonly byte _value;
        public static PinValue High => throw null;
        public static PinValue Low => throw null;
        public static implicit operator PinValue(int value) => throw null;
        public static implicit operator PinValue(bool value) => throw null;
        public static explicit operator byte(PinValue value) => throw null;
        public static explicit operator int(PinValue value) => throw null;
        public static explicit operator bool(PinValue value) => throw null;
        public bool Equals(PinValue other) => throw null;
        public override bool Equals(object obj) => throw null;
        public static bool operator ==(PinValue a, PinValue b) => throw null;
        public static bool operator !=(PinValue a, PinValue b) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
    }

    public class PinValueChangedEventArgs : EventArgs
    {
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) { }
        public PinEventTypes ChangeType => throw null;
        public int PinNumber => throw null;
    }

    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);
    public delegate void PinChangeEventHandler(object sender, PinValueChangedEventArgs pinValueChangedEventArgs);

    public sealed class GpioPin : IDisposable
    {
        internal GpioPin() { }
        public TimeSpan DebounceTimeout { get => throw null; set { } }
        public int PinNumber => throw null;
        public PinMode GetPinMode() => throw null;
        public bool IsPinModeSupported(PinMode pinMode) => throw null;
        public void SetPinMode(PinMode value) { }
        public PinValue Read() => throw null;
        public void Write(PinValue value) { }
        public void Toggle() { }
        public event PinValueChangedEventHandler ValueChanged { add { } remove { } }
        public void Dispose() { }
    }

    public class GpioController : IDisposable
    {
        public GpioController() { }
        public GpioController(PinNumberingScheme numberingScheme) { }
        public PinNumberingScheme NumberingScheme => throw null;
        public int PinCount => throw null;
        public GpioPin OpenPin(int pinNumber) => throw null;
        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw null;
        public GpioPin OpenPin(int pinNumber, PinMode mode, PinValue initialValue) => throw null;
        public void ClosePin(int pinNumber) { }
        public bool IsPinOpen(int pinNumber) => throw null;
        public void SetPinMode(int pinNumber, PinMode mode) { }
        public PinMode GetPinMode(int pinNumber) => throw null;
        public bool IsPinModeSupported(int pinNumber, PinMode mode) => throw null;
        public PinValue Read(int pinNumber) => throw null;
        public void Write(int pinNumber, PinValue value) { }
        public void Toggle(int pinNumber) { }
        public void RegisterCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) { }
        public void UnregisterCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) { }
        public void Dispose() { }
    }
}
