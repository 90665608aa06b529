#nullable disable
using System;
using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Firmware.Engine;
using Qkd.Wire;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// The real board's hardware: the MCU's GPIO controller, SpiDevice.Create, and the managed pulse
    /// engine (the only engine this firmware image has; the hardware-timed one needs a native interop
    /// build). The managed engine reacts to rising trigger edges only.
    /// </summary>
    public sealed class BoardHardware : IBoardHardware
    {
        private readonly GpioController _gpio;
        private readonly ITriggerCounter _triggerCounter;

        public BoardHardware(GpioController gpio, ITriggerCounter triggerCounter)
        {
            if (gpio == null)
            {
                throw new ArgumentNullException("gpio");
            }
            _gpio = gpio;
            _triggerCounter = triggerCounter;
        }

        public GpioController Gpio
        {
            get { return _gpio; }
        }

        public SpiDevice OpenSpi(SpiConnectionSettings settings)
        {
            return SpiDevice.Create(settings);
        }

        public IPulseEngine OpenEngine(EngineSettings settings)
        {
            if (settings.Kind != PulseEngineKind.Managed)
            {
                throw new RoleException(ErrorCode.Hardware, "this firmware has only the managed pulse engine (kind 0)");
            }
            if (settings.TriggerEdge != TriggerEdge.Rising)
            {
                throw new RoleException(ErrorCode.Hardware, "the managed pulse engine follows rising trigger edges only");
            }
            return new ManagedPulseEngine(_gpio, settings.Pins, _triggerCounter);
        }

        public void CloseEngine(IPulseEngine engine, EngineSettings settings)
        {
            engine.Stop();
            IDisposable disposable = engine as IDisposable;
            if (disposable != null)
            {
                disposable.Dispose();
            }
            ClosePins(_gpio, settings.Pins);
        }

        /// <summary>Closes every engine pin that is open (the managed engine opens them and leaves them open).</summary>
        public static void ClosePins(GpioController gpio, ManagedEnginePins pins)
        {
            ClosePin(gpio, pins.Trigger);
            ClosePin(gpio, pins.MuxEnable);
            ClosePin(gpio, pins.MuxA0);
            ClosePin(gpio, pins.MuxA1);
            ClosePin(gpio, pins.Gate);
            ClosePin(gpio, pins.Latch0);
            ClosePin(gpio, pins.Latch1);
            ClosePin(gpio, pins.LatchClear);
        }

        private static void ClosePin(GpioController gpio, int pin)
        {
            if (pin >= 0 && gpio.IsPinOpen(pin))
            {
                gpio.ClosePin(pin);
            }
        }
    }
}
