#nullable disable
using System;
using System.Device.Spi;
using Qkd.Firmware.Drivers;
using Qkd.Firmware.Engine;
using Qkd.Firmware.Tables;
using Qkd.Wire;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// What Alice and Bob share: apply Configure (DAC power-up with read-back, MUX and gate pins handed
    /// to the pulse engine), the double-buffered tables, arm / start / stop, and the block totals.
    /// README.md in this folder draws the state machine. Not thread-safe: the session calls it from
    /// one thread; only the engine runs on its own (pin event) thread.
    /// </summary>
    public abstract class PulseRole : IDisposable
    {
        private readonly IBoardHardware _hardware;
        private readonly TableBank _tables;
        private readonly EngineSettings _engineSettings = new EngineSettings();
        private readonly ConfiguredPins _pins = new ConfiguredPins();
        private SpiDevice _spi;
        private Ad5754 _dac;
        private IPulseEngine _engine;
        private TableBuffer _running;
        private TableBuffer _finishing;
        private TableBuffer _armedInEngine;

        protected PulseRole(IBoardHardware hardware, BoardIdentity identity, int bitsPerPulse)
        {
            if (hardware == null || identity == null)
            {
                throw new ArgumentNullException(hardware == null ? "hardware" : "identity");
            }
            _hardware = hardware;
            _tables = new TableBank(bitsPerPulse, identity.MaxPulsesPerBlock, identity.DetectionCapacity, identity.MissedCapacity);
        }

        /// <summary>Qkd.Wire BoardRole of this role.</summary>
        public abstract byte Role { get; }

        /// <summary>DAC channels the role drives: 4 on Alice (H, V, R, L), 2 on Bob (H/V, R/L).</summary>
        public abstract int DacChannels { get; }

        /// <summary>True on Bob: the engine gates the APDs and the session sends DetectionBatches.</summary>
        public abstract bool CapturesDetections { get; }

        public bool IsConfigured
        {
            get { return _engine != null; }
        }

        public TableBank Tables
        {
            get { return _tables; }
        }

        /// <summary>The DAC driver after a successful Configure (null before).</summary>
        public Ad5754 Dac
        {
            get { return _dac; }
        }

        /// <summary>The pins the last successful Configure gave this role (all -1 while unconfigured).</summary>
        public ConfiguredPins Pins
        {
            get { return _pins; }
        }

        public IPulseEngine Engine
        {
            get { return _engine; }
        }

        /// <summary>The block that runs now (null when none).</summary>
        public TableBuffer Running
        {
            get { return _running; }
        }

        /// <summary>The block that ended and whose results are still being sent (null when none).</summary>
        public TableBuffer Finishing
        {
            get { return _finishing; }
        }

        /// <summary>
        /// Applies a Configure: validates it, releases the previous hardware, powers the DAC up as the
        /// vendor drivers do (CLEAR, reference, ranges, channels one by one, codes), every register
        /// read back and compared, then opens the pulse engine on the MUX, trigger and APD pins.
        /// Refused while a block runs. A refusal by the checks keeps the previous configuration in
        /// effect; a failure once the hardware was released leaves the role unconfigured.
        /// </summary>
        public void Configure(ConfigureMessage message)
        {
            if (message == null)
            {
                throw new ArgumentNullException("message");
            }
            if (_running != null || _finishing != null)
            {
                throw new RoleException(ErrorCode.BadState, "cannot configure while a block runs or its results are being sent");
            }
            ConfigureCheck.Validate(message, Role, DacChannels, CapturesDetections);
            ReleaseHardware();
            _tables.AbandonPending();
            try
            {
                _spi = _hardware.OpenSpi(DacSpiSettings(message));
                _dac = new Ad5754(_spi, _hardware.Gpio, message.DacLdacPin, message.DacClrPin, ConfigureCheck.BipolarCoding(message.DacCoding));
                PowerUpDac((Ad5754OutputRange)message.DacRangeCode, message.ChannelCodes);
                FillEngineSettings(message);
                _engine = _hardware.OpenEngine(_engineSettings);
                _pins.Set(_engineSettings.Pins, message.ScopeSyncPin);
            }
            catch (Ad5754ReadBackException readBack)
            {
                ReleaseHardware();
                throw new RoleException(ErrorCode.DacReadbackMismatch, readBack.Message);
            }
            catch (RoleException)
            {
                ReleaseHardware();
                throw;
            }
            catch (Exception failure)
            {
                ReleaseHardware();
                throw new RoleException(ErrorCode.Hardware, "configure failed: " + failure.Message);
            }
        }

        /// <summary>Copies a BasisChunk into its block's table buffer. False when both buffers are busy: retry later.</summary>
        public bool StoreChunk(BasisChunkMessage chunk)
        {
            RequireConfigured();
            TableBuffer buffer = _tables.Find(chunk.BlockId);
            if (buffer == null)
            {
                buffer = _tables.Claim(chunk.BlockId);
                if (buffer == null)
                {
                    return false;
                }
            }
            else if (buffer.State != BlockState.Loading)
            {
                throw new RoleException(ErrorCode.BadState, "block " + chunk.BlockId.ToString() + " is no longer loading");
            }
            if (!buffer.Store(chunk.Offset, chunk.Table))
            {
                throw new RoleException(ErrorCode.TableOverflow, "chunk at byte " + chunk.Offset.ToString()
                    + " does not fit the table buffer of " + buffer.CapacityBytes.ToString() + " bytes");
            }
            return true;
        }

        /// <summary>
        /// Arms a block whose table is complete for <paramref name="pulseCount"/> pulses. The engine
        /// takes it at once when idle, else as soon as the running block ends.
        /// </summary>
        public TableBuffer Arm(uint blockId, uint pulseCount)
        {
            RequireConfigured();
            TableBuffer buffer = _tables.Find(blockId);
            if (buffer == null || buffer.State != BlockState.Loading)
            {
                throw new RoleException(ErrorCode.BadState, "block " + blockId.ToString() + " has no table loading");
            }
            if (pulseCount == 0 || pulseCount > (uint)buffer.Block.CodeCapacity)
            {
                throw new RoleException(ErrorCode.TableOverflow, "pulse count " + pulseCount.ToString() + " is outside 1.."
                    + buffer.Block.CodeCapacity.ToString());
            }
            if (!buffer.HasTableFor((int)pulseCount))
            {
                throw new RoleException(ErrorCode.BadState, "block " + blockId.ToString() + " table is incomplete for "
                    + pulseCount.ToString() + " pulses");
            }
            EngineSettings gate = _engineSettings;
            buffer.Arm((int)pulseCount, gate.GateDelayNs, gate.GateWidthNs);
            ArmEngineIfIdle();
            return buffer;
        }

        /// <summary>Starts an armed block: from now on trigger k is its pulse k.</summary>
        public TableBuffer Start(uint blockId)
        {
            RequireConfigured();
            TableBuffer buffer = _tables.Find(blockId);
            if (buffer == null || buffer.State != BlockState.Armed)
            {
                throw new RoleException(ErrorCode.BadState, "block " + blockId.ToString() + " is not armed");
            }
            if (_running != null || _armedInEngine != buffer)
            {
                throw new RoleException(ErrorCode.BadState, "block " + blockId.ToString() + " waits for the running block to end");
            }
            buffer.BeginRun();
            _running = buffer;
            _armedInEngine = null;
            _engine.Start();
            return buffer;
        }

        /// <summary>
        /// Stops a block. A running one ends now (true: its totals say how far it got, and its results
        /// follow as for a completed block); an armed or loading one is dropped (false).
        /// </summary>
        public bool Stop(uint blockId)
        {
            RequireConfigured();
            TableBuffer buffer = _tables.Find(blockId);
            if (buffer == null)
            {
                throw new RoleException(ErrorCode.BadState, "block " + blockId.ToString() + " is unknown");
            }
            if (buffer == _running)
            {
                _engine.Stop();
                Poll();
                return true;
            }
            if (buffer == _finishing)
            {
                return true;
            }
            if (buffer == _armedInEngine)
            {
                _engine.Stop();
                _armedInEngine = null;
            }
            buffer.Free();
            ArmEngineIfIdle();
            return false;
        }

        /// <summary>
        /// Notices the end of the running block (engine completed or stopped): copies the engine's
        /// totals into the buffer, makes it the finishing block and arms the next armed table at once.
        /// True when it just ended. While the previous block's results are still going out the ended
        /// block waits (the engine keeps its counters until it is armed again).
        /// </summary>
        public bool Poll()
        {
            if (_running == null || _finishing != null)
            {
                return false;
            }
            PulseEngineState state = _engine.State;
            if (state != PulseEngineState.Completed && state != PulseEngineState.Stopped)
            {
                return false;
            }
            EndRunningBlock();
            return true;
        }

        /// <summary>Detection records of a block available so far (final once it ended).</summary>
        public int AvailableDetections(TableBuffer buffer)
        {
            if (buffer != _running)
            {
                return buffer.Detections;
            }
            int count = _engine.DetectionCount;
            int capacity = buffer.Block.DetectionPulses.Length;
            return count > capacity ? capacity : count;
        }

        /// <summary>The session queued every result of the finishing block: its buffer is free again.</summary>
        public void ReleaseEnded()
        {
            if (_finishing != null)
            {
                _finishing.Free();
                _finishing = null;
            }
        }

        /// <summary>Drops every table that is loading or armed (the host restarted); a running block goes on.</summary>
        public void AbandonPending()
        {
            if (_armedInEngine != null)
            {
                _engine.Stop();
                _armedInEngine = null;
            }
            _tables.AbandonPending();
        }

        /// <summary>Writes one DAC channel code now (verified by read-back) and returns the code read back.</summary>
        public int WriteDac(int channel, int code)
        {
            RequireConfigured();
            if (channel < 0 || channel >= DacChannels)
            {
                throw new RoleException(ErrorCode.BadPayload, "DAC channel " + channel.ToString() + " is outside 0.."
                    + (DacChannels - 1).ToString() + " on this role");
            }
            try
            {
                _dac.WriteCode(channel, code);
                return _dac.ReadBackCode(channel);
            }
            catch (Ad5754ReadBackException readBack)
            {
                throw new RoleException(ErrorCode.DacReadbackMismatch, readBack.Message);
            }
        }

        /// <summary>AD5754 alert bits as the power control register holds them (bit 5 thermal, bits 7..10 overcurrent A..D); 0 unconfigured.</summary>
        public uint ReadDacAlerts()
        {
            if (_dac == null)
            {
                return 0;
            }
            return (uint)(_dac.ReadRegister(Ad5754Register.PowerControl, 0) & ConfigureCheck.AlertBits);
        }

        public void Dispose()
        {
            ReleaseHardware();
        }

        private void EndRunningBlock()
        {
            TableBuffer buffer = _running;
            int capacity = buffer.Block.DetectionPulses.Length;
            int detections = _engine.DetectionCount > capacity ? capacity : _engine.DetectionCount;
            buffer.End(_engine.PulsesDone, _engine.MissedTriggers, detections, _engine.DetectionsDropped);
            _finishing = buffer;
            _running = null;
            ArmEngineIfIdle();
        }

        /// <summary>Hands the armed table to the engine when no block is running on it.</summary>
        private void ArmEngineIfIdle()
        {
            if (_armedInEngine != null || _running != null)
            {
                return;
            }
            TableBuffer armed = _tables.InState(BlockState.Armed);
            if (armed != null && _engine != null)
            {
                _engine.Arm(armed.Block);
                _armedInEngine = armed;
            }
        }

        private void PowerUpDac(Ad5754OutputRange range, ushort[] codes)
        {
            _dac.Clear();
            _dac.SetPowerControl(true, 0);
            _dac.SetControl(true, true, false);
            for (int channel = 0; channel < DacChannels; channel++)
            {
                _dac.SetOutputRange(channel, range);
            }
            for (int channel = 0; channel < DacChannels; channel++)
            {
                _dac.PowerUpChannel(channel); // each channel needs about 10 us; the verified write takes longer
            }
            for (int channel = 0; channel < DacChannels; channel++)
            {
                _dac.WriteCode(channel, codes[channel]);
            }
        }

        private static SpiConnectionSettings DacSpiSettings(ConfigureMessage message)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(message.SpiBus, message.DacSyncPin);
            settings.Mode = SpiMode.Mode2;
            settings.DataBitLength = 8;
            settings.ClockFrequency = (int)message.SpiClockHz;
            return settings;
        }

        private void FillEngineSettings(ConfigureMessage message)
        {
            EngineSettings settings = _engineSettings;
            settings.Kind = message.PulseEngine;
            settings.TriggerEdge = message.TriggerEdge;
            settings.GateDelayNs = (int)message.GateDelayNs;
            settings.GateWidthNs = (int)message.GateWidthNs;
            ManagedEnginePins pins = settings.Pins;
            pins.Trigger = message.TriggerInPin;
            pins.MuxEnable = message.MuxEnPin;
            pins.MuxA0 = message.MuxA0Pin;
            pins.MuxA1 = CapturesDetections ? ManagedEnginePins.NotWired : message.MuxA1Pin;
            pins.Gate = CapturesDetections ? message.ApdGateOutPin : ManagedEnginePins.NotWired;
            pins.Latch0 = CapturesDetections ? message.Apd0LatchPin : ManagedEnginePins.NotWired;
            pins.Latch1 = CapturesDetections ? message.Apd1LatchPin : ManagedEnginePins.NotWired;
            pins.LatchClear = CapturesDetections ? message.LatchClearPin : ManagedEnginePins.NotWired;
        }

        private void ReleaseHardware()
        {
            _pins.Clear();
            if (_engine != null)
            {
                _hardware.CloseEngine(_engine, _engineSettings);
                _engine = null;
                _armedInEngine = null;
            }
            if (_dac != null)
            {
                _dac.Dispose();
                _dac = null;
            }
            if (_spi != null)
            {
                _spi.Dispose();
                _spi = null;
            }
        }

        private void RequireConfigured()
        {
            if (_engine == null)
            {
                throw new RoleException(ErrorCode.BadState, "the board is not configured");
            }
        }
    }
}
