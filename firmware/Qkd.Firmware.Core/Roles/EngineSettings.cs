#nullable disable
using Qkd.Firmware.Engine;

namespace Qkd.Firmware.Roles
{
    /// <summary>What a role asks of <see cref="IBoardHardware.OpenEngine"/>: the kind, its pins and the trigger and gate timing.</summary>
    public sealed class EngineSettings
    {
        /// <summary>Qkd.Wire PulseEngineKind.</summary>
        public byte Kind;

        public readonly ManagedEnginePins Pins = new ManagedEnginePins();

        /// <summary>Qkd.Wire TriggerEdge.</summary>
        public byte TriggerEdge;

        public int GateDelayNs;

        public int GateWidthNs;
    }
}
