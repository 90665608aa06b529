using System;
using System.Device.Gpio;

namespace Qkd.Firmware.Drivers
{
    /// <summary>
    /// MUX36D04 4:1 multiplexer: EN (active high) and address A1 A0 (00..11 = S1..S4). Select writes only
    /// the lines that change, so the per-pulse cost is at most three GPIO writes and usually one or two.
    /// </summary>
    public sealed class Mux36D04 : IDisposable
    {
        public const int ChannelCount = 4;

        private readonly GpioController _gpio;
        private readonly GpioPin _enable;
        private readonly GpioPin _a0;
        private readonly GpioPin _a1;
        private int _address;
        private bool _enabled;

        /// <summary>Opens the three pins as outputs and starts disabled with address 00.</summary>
        public Mux36D04(GpioController gpio, int enablePin, int a0Pin, int a1Pin)
        {
            if (gpio == null) throw new ArgumentNullException("gpio");
            if (enablePin == a0Pin || enablePin == a1Pin || a0Pin == a1Pin) throw new ArgumentException("EN, A0 and A1 need three different pins");
            _gpio = gpio;
            _enable = gpio.OpenPin(enablePin, PinMode.Output);
            _a0 = gpio.OpenPin(a0Pin, PinMode.Output);
            _a1 = gpio.OpenPin(a1Pin, PinMode.Output);
            _enable.Write(PinValue.Low);
            _a0.Write(PinValue.Low);
            _a1.Write(PinValue.Low);
        }

        /// <summary>The connected channel 0..3, or -1 when disabled.</summary>
        public int SelectedChannel
        {
            get { return _enabled ? _address : -1; }
        }

        public bool IsEnabled
        {
            get { return _enabled; }
        }

        /// <summary>Connects channel 0..3 (A1 A0 = binary of the channel) and enables the switch.</summary>
        public void Select(int channel)
        {
            if (channel < 0 || channel >= ChannelCount) throw new ArgumentOutOfRangeException("channel", "MUX36D04 channels are 0..3");
            int changed = channel ^ _address;
            if ((changed & 1) != 0) _a0.Write((channel & 1) != 0 ? PinValue.High : PinValue.Low);
            if ((changed & 2) != 0) _a1.Write((channel & 2) != 0 ? PinValue.High : PinValue.Low);
            _address = channel;
            if (!_enabled)
            {
                _enable.Write(PinValue.High);
                _enabled = true;
            }
        }

        /// <summary>EN low: all switches open.</summary>
        public void Disable()
        {
            _enable.Write(PinValue.Low);
            _enabled = false;
        }

        public void Dispose()
        {
            Disable();
            _gpio.ClosePin(_enable.PinNumber);
            _gpio.ClosePin(_a0.PinNumber);
            _gpio.ClosePin(_a1.PinNumber);
        }
    }
}
