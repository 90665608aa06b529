#nullable disable
using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// The GPIO numbers the last accepted Configure gave the role, read-only (-1 = not wired, and every
    /// pin is -1 until a Configure succeeds). The bench routine takes its MUX and scope-sync pins from
    /// here, so no firmware image has to repeat the board file. On Bob, MUX A1 is tied low (-1).
    /// </summary>
    public sealed class ConfiguredPins
    {
        public const int NotWired = -1;

        private int _muxEnable = NotWired;
        private int _muxA0 = NotWired;
        private int _muxA1 = NotWired;
        private int _triggerIn = NotWired;
        private int _apdGateOut = NotWired;
        private int _apd0Latch = NotWired;
        private int _apd1Latch = NotWired;
        private int _latchClear = NotWired;
        private int _scopeSync = NotWired;

        public int MuxEnable { get { return _muxEnable; } }

        public int MuxA0 { get { return _muxA0; } }

        public int MuxA1 { get { return _muxA1; } }

        public int TriggerIn { get { return _triggerIn; } }

        public int ApdGateOut { get { return _apdGateOut; } }

        public int Apd0Latch { get { return _apd0Latch; } }

        public int Apd1Latch { get { return _apd1Latch; } }

        public int LatchClear { get { return _latchClear; } }

        public int ScopeSync { get { return _scopeSync; } }

        /// <summary>Takes the pins the engine was opened on (the role's choices are made once, there) plus the scope sync.</summary>
        internal void Set(ManagedEnginePins engine, int scopeSync)
        {
            _muxEnable = engine.MuxEnable;
            _muxA0 = engine.MuxA0;
            _muxA1 = engine.MuxA1;
            _triggerIn = engine.Trigger;
            _apdGateOut = engine.Gate;
            _apd0Latch = engine.Latch0;
            _apd1Latch = engine.Latch1;
            _latchClear = engine.LatchClear;
            _scopeSync = scopeSync;
        }

        internal void Clear()
        {
            _muxEnable = NotWired;
            _muxA0 = NotWired;
            _muxA1 = NotWired;
            _triggerIn = NotWired;
            _apdGateOut = NotWired;
            _apd0Latch = NotWired;
            _apd1Latch = NotWired;
            _latchClear = NotWired;
            _scopeSync = NotWired;
        }
    }
}
