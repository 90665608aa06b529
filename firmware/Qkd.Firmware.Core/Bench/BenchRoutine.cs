#nullable disable
using System;
using System.Device.Gpio;
using Qkd.Firmware.Engine;
using Qkd.Firmware.Roles;
using Qkd.Firmware.Session;
using Qkd.Wire;

namespace Qkd.Firmware.Bench
{
    /// <summary>
    /// The DAC timing bench (BenchRun -> BenchReport). Steps the MUX through ordered channel transitions
    /// (default: all 12 on Alice, both on Bob) on the pacer's trigger grid at the requested rate. For each
    /// transition and repeat: at a trigger the MUX goes to "from" and holds for <see cref="HoldNs"/>; at
    /// the next trigger after that the scope-sync output rises, the MUX goes to "to" and holds again;
    /// scope sync falls one period later. What the firmware can measure is its own latency, trigger to
    /// "MUX address written": that is BenchTiming.SettleNs (mean) / SettleMaxNs (worst). The analog
    /// settling (EOM retardance reaching its target) is measured from the scope-sync edge by a scope or
    /// by the emulator. The role must be configured (DAC powered, voltages written) and idle.
    /// </summary>
    public sealed class BenchRoutine : IBenchRunner
    {
        public const uint MaxRateHz = 10000000;
        public const uint MaxRepeats = 1000;
        public const int MaxTransitions = 64;

        /// <summary>Longest run accepted: the session loop does not poll the link while the routine runs.</summary>
        public const long MaxRunMs = 2000;

        private readonly PulseRole _role;
        private readonly GpioController _gpio;
        private readonly IBenchPacer _pacer;
        private GpioPin _scopeSync;
        private int _scopeSyncNumber = ConfiguredPins.NotWired;
        private long _holdNs = 20000;

        /// <summary>
        /// The pins (MUX EN/A0/A1, scope sync) are the ones the role's last Configure gave it
        /// (<see cref="PulseRole.Pins"/>), read at each run: the routine needs no pin of its own.
        /// </summary>
        public BenchRoutine(PulseRole role, GpioController gpio, IBenchPacer pacer)
        {
            if (role == null || gpio == null || pacer == null)
            {
                throw new ArgumentNullException(role == null ? "role" : gpio == null ? "gpio" : "pacer");
            }
            _role = role;
            _gpio = gpio;
            _pacer = pacer;
        }

        /// <summary>
        /// How long each state is held before and after a measured transition (default 20 us, at least
        /// two periods), so the analog chain starts settled and its full settling is visible even when
        /// it is longer than one period.
        /// </summary>
        public long HoldNs
        {
            get { return _holdNs; }
            set
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException("value", "hold time cannot be negative");
                }
                _holdNs = value;
            }
        }

        /// <summary>Ordered pairs (from, to), from != to, over the role's channels: 12 on Alice, 2 on Bob.</summary>
        public static byte[] AllTransitions(int channels)
        {
            byte[] pairs = new byte[channels * (channels - 1) * 2];
            int i = 0;
            for (int from = 0; from < channels; from++)
            {
                for (int to = 0; to < channels; to++)
                {
                    if (from == to)
                    {
                        continue;
                    }
                    pairs[i++] = (byte)from;
                    pairs[i++] = (byte)to;
                }
            }
            return pairs;
        }

        public BenchReportMessage Run(BenchRunMessage request)
        {
            if (request == null)
            {
                throw new ArgumentNullException("request");
            }
            int channels = _role.DacChannels;
            byte[] pairs = request.Transitions == null || request.Transitions.Length == 0 ? AllTransitions(channels) : request.Transitions;
            CheckRequest(request, pairs, channels);
            CheckIdle();
            ConfiguredPins pins = _role.Pins;

            long periodNs = 1000000000L / request.RateHz;
            long holdSteps = (_holdNs + periodNs - 1) / periodNs;
            if (holdSteps < 2)
            {
                holdSteps = 2;
            }
            int count = pairs.Length / 2;
            long runMs = count * (long)request.Repeats * 2 * holdSteps * periodNs / 1000000;
            if (runMs > MaxRunMs)
            {
                throw new RoleException(ErrorCode.BadPayload, "bench run would take " + runMs.ToString() + " ms, more than "
                    + MaxRunMs.ToString() + " ms without serving the link: fewer repeats or transitions, or a higher rate");
            }
            BenchTiming[] timings = new BenchTiming[count];

            OpenScopeSync(pins.ScopeSync);
            PinValue enableBefore = _gpio.Read(pins.MuxEnable);
            PinValue a0Before = _gpio.Read(pins.MuxA0);
            PinValue a1Before = pins.MuxA1 >= 0 ? _gpio.Read(pins.MuxA1) : PinValue.Low;
            _gpio.Write(pins.MuxEnable, PinValue.High);
            _pacer.Begin(periodNs);
            try
            {
                for (int p = 0; p < count; p++)
                {
                    int from = pairs[2 * p];
                    int to = pairs[2 * p + 1];
                    long sum = 0;
                    long worst = 0;
                    for (uint r = 0; r < request.Repeats; r++)
                    {
                        _pacer.WaitForTrigger();
                        WriteMux(pins, from);
                        Wait(holdSteps - 1);

                        long trigger = _pacer.WaitForTrigger();
                        WriteScopeSync(PinValue.High);
                        WriteMux(pins, to);
                        long latency = _pacer.NowNs - trigger;
                        if (latency < 0)
                        {
                            latency = 0;
                        }
                        sum += latency;
                        if (latency > worst)
                        {
                            worst = latency;
                        }

                        _pacer.WaitForTrigger();
                        WriteScopeSync(PinValue.Low);
                        Wait(holdSteps - 2);
                    }
                    timings[p] = new BenchTiming((byte)from, (byte)to, ClampToUInt(sum / request.Repeats), ClampToUInt(worst));
                }
            }
            finally
            {
                WriteScopeSync(PinValue.Low);
                // Put the lines back as the pulse engine left them: it only writes lines whose code changes.
                _gpio.Write(pins.MuxA0, a0Before);
                if (pins.MuxA1 >= 0)
                {
                    _gpio.Write(pins.MuxA1, a1Before);
                }
                _gpio.Write(pins.MuxEnable, enableBefore);
                _pacer.End();
            }
            return new BenchReportMessage(request.RateHz, request.Repeats, timings);
        }

        private void CheckRequest(BenchRunMessage request, byte[] pairs, int channels)
        {
            if (request.RateHz == 0 || request.RateHz > MaxRateHz)
            {
                throw new RoleException(ErrorCode.BadPayload, "bench rate " + request.RateHz.ToString() + " Hz is outside 1.." + MaxRateHz.ToString());
            }
            if (request.Repeats == 0 || request.Repeats > MaxRepeats)
            {
                throw new RoleException(ErrorCode.BadPayload, "bench repeats " + request.Repeats.ToString() + " is outside 1.." + MaxRepeats.ToString());
            }
            if (pairs.Length % 2 != 0 || pairs.Length / 2 > MaxTransitions)
            {
                throw new RoleException(ErrorCode.BadPayload, "bench transitions must be up to " + MaxTransitions.ToString() + " (from, to) byte pairs");
            }
            for (int i = 0; i < pairs.Length; i += 2)
            {
                if (pairs[i] >= channels || pairs[i + 1] >= channels || pairs[i] == pairs[i + 1])
                {
                    throw new RoleException(ErrorCode.BadPayload, "bench transition " + pairs[i].ToString() + "->" + pairs[i + 1].ToString()
                        + " is not a change between channels 0.." + (channels - 1).ToString());
                }
            }
        }

        private void CheckIdle()
        {
            if (!_role.IsConfigured)
            {
                throw new RoleException(ErrorCode.BadState, "configure the board before a bench run (the DAC voltages come from Configure)");
            }
            IPulseEngine engine = _role.Engine;
            if (_role.Running != null || engine.State == PulseEngineState.Running)
            {
                throw new RoleException(ErrorCode.BadState, "a block is running: the bench needs the MUX");
            }
            // Configured: ConfigureCheck required MUX EN and A0 on every role, so both pins are wired.
            ConfiguredPins pins = _role.Pins;
            if (!_gpio.IsPinOpen(pins.MuxA0) || !_gpio.IsPinOpen(pins.MuxEnable) || (pins.MuxA1 >= 0 && !_gpio.IsPinOpen(pins.MuxA1)))
            {
                throw new RoleException(ErrorCode.Hardware, "the bench's MUX pins are not the ones Configure opened");
            }
        }

        /// <summary>Opens the scope-sync output once; a later Configure naming another pin moves it there.</summary>
        private void OpenScopeSync(int pin)
        {
            if (_scopeSync != null && _scopeSyncNumber != pin)
            {
                _scopeSync.Dispose();
                _scopeSync = null;
                _scopeSyncNumber = ConfiguredPins.NotWired;
            }
            if (_scopeSync == null && pin >= 0)
            {
                _scopeSync = _gpio.OpenPin(pin, PinMode.Output);
                _scopeSync.Write(PinValue.Low);
                _scopeSyncNumber = pin;
            }
        }

        private void Wait(long triggers)
        {
            for (long i = 0; i < triggers; i++)
            {
                _pacer.WaitForTrigger();
            }
        }

        private void WriteMux(ConfiguredPins pins, int channel)
        {
            _gpio.Write(pins.MuxA0, (channel & 1) != 0 ? PinValue.High : PinValue.Low);
            if (pins.MuxA1 >= 0)
            {
                _gpio.Write(pins.MuxA1, (channel & 2) != 0 ? PinValue.High : PinValue.Low);
            }
        }

        private void WriteScopeSync(PinValue value)
        {
            if (_scopeSync != null)
            {
                _scopeSync.Write(value);
            }
        }

        private static uint ClampToUInt(long value)
        {
            return value > uint.MaxValue ? uint.MaxValue : (uint)value;
        }
    }
}
