#nullable disable
using System;
using System.Device.Gpio;
using System.Threading;
using Qkd.Firmware.Platform;

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// Pulse engine run by managed code: each rising trigger edge (GpioPin.ValueChanged) is pulse k;
    /// the handler puts table[k] on the MUX address lines and, on Bob, opens the gate, reads and clears
    /// the two APD latches and records a click (double clicks flagged). Managed code handles tens of
    /// kHz at best, so the engine counts what it misses instead of shifting the table:
    /// a trigger that arrives while the previous one is still being handled, or (with an
    /// <see cref="ITriggerCounter"/>) a gap between the hardware edge count and the pulses handled,
    /// is reported as a missed pulse at its own index. Allocates nothing per pulse.
    /// </summary>
    public sealed class ManagedPulseEngine : IPulseEngine, IDisposable
    {
        private readonly object _gate = new object();
        private readonly ITriggerCounter _counter;
        private readonly GpioPin _trigger;
        private readonly GpioPin _muxEnable;
        private readonly GpioPin _muxA0;
        private readonly GpioPin _muxA1;
        private readonly GpioPin _apdGate;
        private readonly GpioPin _latch0;
        private readonly GpioPin _latch1;
        private readonly GpioPin _latchClear;
        private readonly bool _isBob;

        private PulseBlock _block;
        private int _state;
        private int _busy;
        private int _lostWhileBusy;
        private long _counterAtStart;
        private int _nextPulse;
        private int _missed;
        private int _detections;
        private int _dropped;
        private int _handled;
        private long _busyTicks;
        private bool _completedPending;
        private int _muxCodeOnLines;

        public ManagedPulseEngine(GpioController gpio, ManagedEnginePins pins, ITriggerCounter triggerCounter)
        {
            if (gpio == null || pins == null)
            {
                throw new ArgumentNullException(gpio == null ? "gpio" : "pins");
            }

            if (pins.Trigger < 0 || pins.MuxA0 < 0)
            {
                throw new ArgumentException("the trigger input and MUX A0 must be wired", "pins");
            }

            _counter = triggerCounter;
            _isBob = pins.Gate >= 0;
            if (_isBob && (pins.Latch0 < 0 || pins.Latch1 < 0 || pins.LatchClear < 0))
            {
                throw new ArgumentException("a gated (Bob) engine needs both APD latches and the latch clear", "pins");
            }

            _muxEnable = OpenOutput(gpio, pins.MuxEnable);
            _muxA0 = OpenOutput(gpio, pins.MuxA0);
            _muxA1 = OpenOutput(gpio, pins.MuxA1);
            _apdGate = OpenOutput(gpio, pins.Gate);
            _latchClear = OpenOutput(gpio, pins.LatchClear);
            _latch0 = pins.Latch0 >= 0 ? gpio.OpenPin(pins.Latch0, PinMode.Input) : null;
            _latch1 = pins.Latch1 >= 0 ? gpio.OpenPin(pins.Latch1, PinMode.Input) : null;
            _trigger = gpio.OpenPin(pins.Trigger, PinMode.Input);
            _trigger.ValueChanged += OnTriggerChanged;
        }

        public event PulseBlockCompletedHandler BlockCompleted;

        public PulseEngineState State
        {
            get { return (PulseEngineState)_state; }
        }

        public int PulsesDone
        {
            get { return _nextPulse; }
        }

        public int MissedTriggers
        {
            get { return _missed; }
        }

        public int DetectionCount
        {
            get { return _detections; }
        }

        public int DetectionsDropped
        {
            get { return _dropped; }
        }

        /// <summary>
        /// 1 / (mean time the handler spends on a pulse), over the pulses handled since the last Arm:
        /// the back-to-back trigger rate the handler itself can sustain. Event dispatch latency comes on
        /// top, which is why missed triggers are counted rather than assumed away.
        /// </summary>
        public double MeasuredMaxRateHz
        {
            get
            {
                long busy = _busyTicks;
                return busy <= 0 ? 0 : (double)_handled * TickSource.TicksPerSecond / busy;
            }
        }

        /// <summary>True when a hardware trigger counter lets the engine place late events at their true pulse.</summary>
        public bool HasTriggerCounter
        {
            get { return _counter != null; }
        }

        public void Arm(PulseBlock block)
        {
            if (block == null)
            {
                throw new ArgumentNullException("block");
            }

            int expectedBits = _isBob ? PulseCodes.BobBitsPerPulse : PulseCodes.AliceBitsPerPulse;
            if (block.BitsPerPulse != expectedBits)
            {
                throw new ArgumentException(_isBob ? "Bob's engine takes 1 bit per pulse" : "Alice's engine takes 2 bits per pulse", "block");
            }

            lock (_gate)
            {
                if (_state == (int)PulseEngineState.Running)
                {
                    throw new InvalidOperationException("a block is running; stop it or wait for BlockCompleted");
                }

                _block = block;
                _nextPulse = 0;
                _missed = 0;
                _detections = 0;
                _dropped = 0;
                _handled = 0;
                _busyTicks = 0;
                _completedPending = false;
                _state = (int)PulseEngineState.Armed;
            }
        }

        public void Start()
        {
            lock (_gate)
            {
                if (_state != (int)PulseEngineState.Armed)
                {
                    throw new InvalidOperationException("arm a block before starting");
                }

                Interlocked.Exchange(ref _lostWhileBusy, 0);
                _counterAtStart = _counter != null ? _counter.Count : 0;
                if (_latchClear != null)
                {
                    ClearLatches();
                }

                if (_muxEnable != null)
                {
                    _muxEnable.Write(PinValue.High);
                }

                _state = (int)PulseEngineState.Running;
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                if (_state == (int)PulseEngineState.Running && Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
                {
                    ReportMissed(_block, PendingTriggerCount() + _nextPulse);
                    Interlocked.Exchange(ref _busy, 0);
                }

                if (_state == (int)PulseEngineState.Running || _state == (int)PulseEngineState.Armed)
                {
                    _state = (int)PulseEngineState.Stopped;
                }

                if (_muxEnable != null)
                {
                    _muxEnable.Write(PinValue.Low);
                }
            }
        }

        public void Dispose()
        {
            _trigger.ValueChanged -= OnTriggerChanged;
        }

        private void OnTriggerChanged(object sender, PinValueChangedEventArgs e)
        {
            if (e.ChangeType != PinEventTypes.Rising || _state != (int)PulseEngineState.Running)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                // The previous pulse is still being handled: this trigger's pulse gets no code of its own.
                Interlocked.Increment(ref _lostWhileBusy);
                return;
            }

            long entered = TickSource.Now;
            try
            {
                HandleTrigger();
            }
            finally
            {
                _busyTicks += TickSource.Now - entered;
                Interlocked.Exchange(ref _busy, 0);
            }

            if (_completedPending)
            {
                _completedPending = false;
                PulseBlockCompletedHandler completed = BlockCompleted;
                if (completed != null)
                {
                    completed(this, _block);
                }
            }
        }

        private void HandleTrigger()
        {
            int pulse = PulseIndexOfThisTrigger();
            if (pulse < 0)
            {
                return;
            }

            PulseBlock block = _block;
            if (pulse < block.PulseCount)
            {
                ReportMissed(block, pulse);
                WriteMuxCode(PulseCodes.Get(block.Codes, pulse, block.BitsPerPulse));
                if (_isBob)
                {
                    CaptureDetection(block, pulse);
                }

                _handled++;
                _nextPulse = pulse + 1;
            }
            else
            {
                ReportMissed(block, pulse);
            }

            // Triggers that came while this one was handled fired without their code: account now.
            ReportMissed(block, PendingTriggerCount() + _nextPulse);
            if (_nextPulse >= block.PulseCount)
            {
                Complete();
            }
        }

        /// <summary>
        /// The pulse this event stands for: the hardware edge count when there is a counter (so a late
        /// event lands on its true pulse; an event for an already-counted edge returns -1), otherwise
        /// the next pulse after any triggers that arrived while the handler was busy.
        /// </summary>
        private int PulseIndexOfThisTrigger()
        {
            if (_counter == null)
            {
                return _nextPulse + Interlocked.Exchange(ref _lostWhileBusy, 0);
            }

            long latest = _counter.Count - _counterAtStart - 1;
            if (latest < _nextPulse)
            {
                return -1;
            }

            return latest > int.MaxValue ? int.MaxValue : (int)latest;
        }

        /// <summary>Triggers seen (by the counter, or by the busy handler) but not yet accounted for.</summary>
        private int PendingTriggerCount()
        {
            if (_counter == null)
            {
                return Interlocked.Exchange(ref _lostWhileBusy, 0);
            }

            Interlocked.Exchange(ref _lostWhileBusy, 0);
            long pending = _counter.Count - _counterAtStart - _nextPulse;
            return pending <= 0 ? 0 : (pending > int.MaxValue ? int.MaxValue : (int)pending);
        }

        /// <summary>Reports every pulse from the next one up to (not including) <paramref name="untilPulse"/> as missed.</summary>
        private void ReportMissed(PulseBlock block, int untilPulse)
        {
            if (untilPulse > block.PulseCount)
            {
                untilPulse = block.PulseCount;
            }

            int[] missed = block.MissedPulses;
            for (int p = _nextPulse; p < untilPulse; p++)
            {
                if (_missed < missed.Length)
                {
                    missed[_missed] = p;
                }

                _missed++;
            }

            if (untilPulse > _nextPulse)
            {
                _nextPulse = untilPulse;
            }
        }

        /// <summary>Drives A1 A0 to <paramref name="code"/>, touching only the lines that change (each write is a native call).</summary>
        private void WriteMuxCode(int code)
        {
            int changed = code ^ _muxCodeOnLines;
            if ((changed & 1) != 0)
            {
                _muxA0.Write((code & 1) != 0 ? PinValue.High : PinValue.Low);
            }

            if ((changed & 2) != 0 && _muxA1 != null)
            {
                _muxA1.Write((code & 2) != 0 ? PinValue.High : PinValue.Low);
            }

            _muxCodeOnLines = code;
        }

        private void CaptureDetection(PulseBlock block, int pulse)
        {
            // Managed gate: open for the time it takes to toggle it; the ns gate comes from the front end.
            _apdGate.Write(PinValue.High);
            _apdGate.Write(PinValue.Low);
            int code = (_latch0.Read() == PinValue.High ? DetectorCode.Apd0 : 0)
                | (_latch1.Read() == PinValue.High ? DetectorCode.Apd1 : 0);
            if (code == DetectorCode.None)
            {
                return;
            }

            ClearLatches();
            if (_detections < block.DetectionPulses.Length)
            {
                block.DetectionPulses[_detections] = pulse;
                block.DetectionCodes[_detections] = (byte)code;
                _detections++;
            }
            else
            {
                _dropped++;
            }
        }

        private void ClearLatches()
        {
            _latchClear.Write(PinValue.High);
            _latchClear.Write(PinValue.Low);
        }

        private void Complete()
        {
            _state = (int)PulseEngineState.Completed;
            _completedPending = true;
        }

        private static GpioPin OpenOutput(GpioController gpio, int pin)
        {
            if (pin < 0)
            {
                return null;
            }

            GpioPin opened = gpio.OpenPin(pin, PinMode.Output);
            opened.Write(PinValue.Low);
            return opened;
        }
    }
}
