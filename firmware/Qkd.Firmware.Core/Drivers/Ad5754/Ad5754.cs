#nullable disable
using System;
using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;

namespace Qkd.Firmware.Drivers
{
    /// <summary>
    /// AD5754(R) quad 16-bit DAC on SPI (mode 2, 24-bit frames MSB first, SYNC = chip select).
    /// Every register write is read back and compared unless <see cref="VerifyWrites"/> is off.
    /// LDAC and CLR pins are optional (pass -1 when LDAC is tied low / CLR tied high).
    /// </summary>
    public sealed class Ad5754 : IDisposable
    {
        public const int ChannelCount = 4;

        /// <summary>Address 100: all four DACs in one write.</summary>
        public const int AllChannels = 4;

        private const int ReadBit = 0x800000;
        private const int PowerUpReferenceBit = 0x10;
        private const int PowerUpChannelMask = 0x0F;
        private const int ThermalAlertBit = 0x20;
        private const int OvercurrentShift = 7;

        private readonly SpiDevice _spi;
        private readonly GpioController _gpio;
        private readonly GpioPin _ldac;
        private readonly GpioPin _clr;
        private readonly byte[] _frame = new byte[3];
        private readonly byte[] _nop = new byte[3];
        private readonly byte[] _sdo = new byte[3];
        private readonly Ad5754OutputRange[] _ranges = new Ad5754OutputRange[ChannelCount];
        private int _powerControl;
        private bool _holdLdac;

        public Ad5754(SpiDevice spi, GpioController gpio, int ldacPin, int clrPin, Ad5754BipolarCoding coding, double referenceVolts = Ad5754Conversion.InternalReferenceVolts)
        {
            if (spi == null) throw new ArgumentNullException("spi");
            if (referenceVolts <= 0) throw new ArgumentOutOfRangeException("referenceVolts", "the reference must be positive");
            _spi = spi;
            _gpio = gpio;
            Coding = coding;
            ReferenceVolts = referenceVolts;
            VerifyWrites = true;
            if (ldacPin >= 0)
            {
                if (gpio == null) throw new ArgumentNullException("gpio", "an LDAC pin needs a GpioController");
                _ldac = gpio.OpenPin(ldacPin, PinMode.Output);
                _ldac.Write(PinValue.Low);
            }

            if (clrPin >= 0)
            {
                if (gpio == null) throw new ArgumentNullException("gpio", "a CLR pin needs a GpioController");
                _clr = gpio.OpenPin(clrPin, PinMode.Output);
                _clr.Write(PinValue.High);
            }
        }

        public Ad5754BipolarCoding Coding { get; private set; }

        public double ReferenceVolts { get; private set; }

        /// <summary>Read back and compare every register written (default on).</summary>
        public bool VerifyWrites { get; set; }

        /// <summary>
        /// Power-up as the vendor drivers do it: CLEAR, power up the reference, set the ranges, power up
        /// each channel, write the codes; every step read back and compared. Channels are 0..count-1.
        /// </summary>
        public void PowerUp(Ad5754OutputRange range, double[] channelVolts)
        {
            if (channelVolts == null || channelVolts.Length < 1 || channelVolts.Length > ChannelCount)
                throw new ArgumentException("give the volts of 1 to 4 channels", "channelVolts");

            Clear();
            SetPowerControl(true, 0);
            for (int channel = 0; channel < channelVolts.Length; channel++) SetOutputRange(channel, range);
            int powered = 0;
            for (int channel = 0; channel < channelVolts.Length; channel++)
            {
                powered |= 1 << channel;
                SetPowerControl(true, powered);
                Thread.Sleep(1); // a channel needs about 10 us to power up
            }

            for (int channel = 0; channel < channelVolts.Length; channel++) SetVoltage(channel, channelVolts[channel]);
            if (_holdLdac) UpdateOutputs();
        }

        /// <summary>Output range of one channel (0..3) or of <see cref="AllChannels"/>.</summary>
        public void SetOutputRange(int channel, Ad5754OutputRange range)
        {
            CheckChannelOrAll(channel);
            Ad5754Conversion.Gain(range); // refuses unknown codes
            WriteVerified(Ad5754Register.OutputRangeSelect, channel, (int)range, 0x7);
            for (int c = 0; c < ChannelCount; c++)
                if (channel == AllChannels || channel == c) _ranges[c] = range;
        }

        public Ad5754OutputRange GetOutputRange(int channel)
        {
            CheckChannel(channel);
            return _ranges[channel];
        }

        /// <summary>Power control: the internal reference and a mask of channels (bit 0 = A .. bit 3 = D).</summary>
        public void SetPowerControl(bool reference, int channelMask)
        {
            if ((channelMask & ~PowerUpChannelMask) != 0) throw new ArgumentOutOfRangeException("channelMask", "channel mask is 4 bits (A..D)");
            int data = channelMask | (reference ? PowerUpReferenceBit : 0);
            WriteVerified(Ad5754Register.PowerControl, 0, data, PowerUpReferenceBit | PowerUpChannelMask);
            _powerControl = data;
        }

        /// <summary>Powers channels up (keeping the others and the reference as they are).</summary>
        public void PowerUpChannel(int channel)
        {
            CheckChannel(channel);
            SetPowerControl((_powerControl & PowerUpReferenceBit) != 0, (_powerControl | (1 << channel)) & PowerUpChannelMask);
        }

        /// <summary>Control settings. SDO stays enabled: the read-back needs it.</summary>
        public void SetControl(bool thermalShutdown, bool currentClamp, bool clearToMidscale)
        {
            int data = (thermalShutdown ? 8 : 0) | (currentClamp ? 4 : 0) | (clearToMidscale ? 2 : 0);
            WriteVerified(Ad5754Register.Control, (int)Ad5754ControlFunction.Settings, data, 0xF);
        }

        /// <summary>Writes the code for <paramref name="volts"/> in the channel's range; clamps to the rail LSB, refuses volts outside the range.</summary>
        public void SetVoltage(int channel, double volts)
        {
            CheckChannel(channel);
            WriteCode(channel, Ad5754Conversion.VoltsToCode(volts, _ranges[channel], Coding, ReferenceVolts));
        }

        /// <summary>The volts the channel's DAC register asks for (read back from the device).</summary>
        public double ReadBackVoltage(int channel)
        {
            return Ad5754Conversion.CodeToVolts(ReadBackCode(channel), _ranges[channel], Coding, ReferenceVolts);
        }

        /// <summary>Writes a raw register code to one channel or to <see cref="AllChannels"/>.</summary>
        public void WriteCode(int channel, int code)
        {
            CheckChannelOrAll(channel);
            if (code < 0 || code > Ad5754Conversion.MaxCode) throw new ArgumentOutOfRangeException("code", "AD5754 codes are 0..65535");
            WriteVerified(Ad5754Register.DacData, channel, code, 0xFFFF);
        }

        public int ReadBackCode(int channel)
        {
            CheckChannel(channel);
            return ReadRegister(Ad5754Register.DacData, channel);
        }

        public Ad5754OutputRange ReadBackOutputRange(int channel)
        {
            CheckChannel(channel);
            return (Ad5754OutputRange)(ReadRegister(Ad5754Register.OutputRangeSelect, channel) & 0x7);
        }

        /// <summary>
        /// Hold LDAC high so that writes only load the input registers (outputs change together on
        /// <see cref="UpdateOutputs"/>), or low so that each write updates its output at once.
        /// </summary>
        public void HoldLdac(bool simultaneous)
        {
            if (_ldac == null && simultaneous) throw new InvalidOperationException("LDAC is tied low on this board: use the LOAD command (Load)");
            _holdLdac = simultaneous;
            if (_ldac != null) _ldac.Write(simultaneous ? PinValue.High : PinValue.Low);
        }

        /// <summary>Updates all outputs from their input registers: an LDAC pulse if wired, else LOAD.</summary>
        public void UpdateOutputs()
        {
            if (_ldac != null && _holdLdac) PulseLdac();
            else Load();
        }

        /// <summary>Low LDAC pulse (>= 20 ns; a GPIO write pair is far longer).</summary>
        public void PulseLdac()
        {
            if (_ldac == null) throw new InvalidOperationException("no LDAC pin on this board");
            _ldac.Write(PinValue.Low);
            if (_holdLdac) _ldac.Write(PinValue.High);
        }

        /// <summary>LOAD command: all DAC registers take their input registers.</summary>
        public void Load()
        {
            WriteFrame(Compose(false, Ad5754Register.Control, (int)Ad5754ControlFunction.Load, 0));
        }

        /// <summary>CLEAR command: all outputs to the CLR-select code (0 V unless clear-to-midscale).</summary>
        public void Clear()
        {
            WriteFrame(Compose(false, Ad5754Register.Control, (int)Ad5754ControlFunction.Clear, 0));
        }

        /// <summary>Active-low pulse on the CLR pin: same effect as <see cref="Clear"/>.</summary>
        public void PulseClearPin()
        {
            if (_clr == null) throw new InvalidOperationException("no CLR pin on this board");
            _clr.Write(PinValue.Low);
            _clr.Write(PinValue.High);
        }

        /// <summary>Thermal shutdown and overcurrent A..D alerts from the power control register.</summary>
        public Ad5754Alerts ReadAlerts()
        {
            int power = ReadRegister(Ad5754Register.PowerControl, 0);
            int alerts = (power & ThermalAlertBit) != 0 ? (int)Ad5754Alerts.ThermalShutdown : 0;
            alerts |= ((power >> OvercurrentShift) & 0xF) << 1;
            return (Ad5754Alerts)alerts;
        }

        /// <summary>Read frame, then a NOP frame: SDO carries the register during the NOP. Returns data bits 15..0.</summary>
        public int ReadRegister(Ad5754Register register, int address)
        {
            WriteFrame(Compose(true, register, address, 0));
            SetFrame(_nop, Compose(false, Ad5754Register.Control, (int)Ad5754ControlFunction.Nop, 0));
            _spi.TransferFullDuplex(_nop, _sdo);
            return (_sdo[1] << 8) | _sdo[2];
        }

        /// <summary>The 24-bit frame for a register access: R/W bit 23, register 21..19, address 18..16, data 15..0.</summary>
        public static int Compose(bool read, Ad5754Register register, int address, int data)
        {
            return (read ? ReadBit : 0) | (((int)register & 0x7) << 19) | ((address & 0x7) << 16) | (data & 0xFFFF);
        }

        public static string RegisterName(Ad5754Register register)
        {
            switch (register)
            {
                case Ad5754Register.DacData: return "DAC data register";
                case Ad5754Register.OutputRangeSelect: return "output range select register";
                case Ad5754Register.PowerControl: return "power control register";
                case Ad5754Register.Control: return "control register";
                default: return "register " + ((int)register).ToString();
            }
        }

        public static string AddressName(Ad5754Register register, int address)
        {
            if (register == Ad5754Register.DacData || register == Ad5754Register.OutputRangeSelect)
            {
                if (address >= 0 && address < ChannelCount) return "channel " + "ABCD"[address].ToString();
                if (address == AllChannels) return "all channels";
            }

            return "address " + address.ToString();
        }

        public void Dispose()
        {
            if (_ldac != null) _gpio.ClosePin(_ldac.PinNumber);
            if (_clr != null) _gpio.ClosePin(_clr.PinNumber);
        }

        private void WriteVerified(Ad5754Register register, int address, int data, int significantBits)
        {
            WriteFrame(Compose(false, register, address, data));
            if (!VerifyWrites) return;
            for (int channel = 0; channel < ChannelCount; channel++)
            {
                int readAddress = address == AllChannels ? channel : address;
                if (address != AllChannels && channel > 0) break;
                int actual = ReadRegister(register, readAddress) & significantBits;
                if (actual != (data & significantBits))
                    throw new Ad5754ReadBackException(register, readAddress, data & significantBits, actual);
            }
        }

        private void WriteFrame(int frame)
        {
            SetFrame(_frame, frame);
            _spi.Write(_frame);
        }

        private static void SetFrame(byte[] buffer, int frame)
        {
            buffer[0] = (byte)(frame >> 16);
            buffer[1] = (byte)(frame >> 8);
            buffer[2] = (byte)frame;
        }

        private static void CheckChannel(int channel)
        {
            if (channel < 0 || channel >= ChannelCount) throw new ArgumentOutOfRangeException("channel", "AD5754 channels are 0..3 (A..D)");
        }

        private static void CheckChannelOrAll(int channel)
        {
            if (channel < 0 || channel > AllChannels) throw new ArgumentOutOfRangeException("channel", "AD5754 channels are 0..3 (A..D) or 4 (all)");
        }
    }
}
