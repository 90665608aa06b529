using System;
using System.Device.Gpio;

namespace Qkd.Firmware.Drivers
{
    /// <summary>
    /// Bob's detector front end: two APD outputs each set a latch (read on two input pins, high = click)
    /// inside the gate; one output pin clears both latches. The gate delay and width are kept here for
    /// the pulse engine / gate hardware, which times the gate itself.
    /// </summary>
    public sealed class ApdFrontEnd : IDisposable
    {
        public const int NoDetection = 0;
        public const int Apd0 = 1;
        public const int Apd1 = 2;
        public const int BothApds = 3;

        private readonly GpioController _gpio;
        private readonly GpioPin _latch0;
        private readonly GpioPin _latch1;
        private readonly GpioPin _clear;
        private readonly PinValue _clearActive;
        private readonly PinValue _clearIdle;

        public ApdFrontEnd(GpioController gpio, int apd0LatchPin, int apd1LatchPin, int latchClearPin, int gateDelayNs, int gateWidthNs, bool clearActiveHigh = true)
        {
            if (gpio == null) throw new ArgumentNullException("gpio");
            if (apd0LatchPin == apd1LatchPin || apd0LatchPin == latchClearPin || apd1LatchPin == latchClearPin)
                throw new ArgumentException("the two latch inputs and the clear output need three different pins");
            SetGate(gateDelayNs, gateWidthNs);
            _gpio = gpio;
            _clearActive = clearActiveHigh ? PinValue.High : PinValue.Low;
            _clearIdle = clearActiveHigh ? PinValue.Low : PinValue.High;
            _latch0 = gpio.OpenPin(apd0LatchPin, PinMode.Input);
            _latch1 = gpio.OpenPin(apd1LatchPin, PinMode.Input);
            _clear = gpio.OpenPin(latchClearPin, PinMode.Output);
            _clear.Write(_clearIdle);
        }

        /// <summary>Delay from the trigger to the gate opening, ns.</summary>
        public int GateDelayNs { get; private set; }

        /// <summary>How long the gate stays open, ns.</summary>
        public int GateWidthNs { get; private set; }

        public void SetGate(int delayNs, int widthNs)
        {
            if (delayNs < 0) throw new ArgumentOutOfRangeException("delayNs", "gate delay cannot be negative");
            if (widthNs <= 0) throw new ArgumentOutOfRangeException("widthNs", "gate width must be positive");
            GateDelayNs = delayNs;
            GateWidthNs = widthNs;
        }

        /// <summary>Detector code: 0 none, 1 APD0, 2 APD1, 3 both (a double click).</summary>
        public int ReadLatches()
        {
            int code = _latch0.Read() == PinValue.High ? Apd0 : NoDetection;
            if (_latch1.Read() == PinValue.High) code |= Apd1;
            return code;
        }

        /// <summary>Pulses the clear line: both latches back to "no click".</summary>
        public void ClearLatches()
        {
            _clear.Write(_clearActive);
            _clear.Write(_clearIdle);
        }

        /// <summary>Reads the detector code, then clears the latches for the next pulse.</summary>
        public int ReadAndClear()
        {
            int code = ReadLatches();
            if (code != NoDetection) ClearLatches();
            return code;
        }

        public void Dispose()
        {
            _gpio.ClosePin(_latch0.PinNumber);
            _gpio.ClosePin(_latch1.PinNumber);
            _gpio.ClosePin(_clear.PinNumber);
        }
    }
}
