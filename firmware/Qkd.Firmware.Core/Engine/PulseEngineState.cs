#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>Life cycle of one block on a pulse engine.</summary>
    public enum PulseEngineState
    {
        /// <summary>Nothing armed.</summary>
        Idle = 0,

        /// <summary>A block is armed; triggers are ignored until Start.</summary>
        Armed = 1,

        /// <summary>Triggers advance the pulse index.</summary>
        Running = 2,

        /// <summary>Every pulse of the block was accounted for (handled or reported missed).</summary>
        Completed = 3,

        /// <summary>Stopped before the end of the block; PulsesDone says how far it got.</summary>
        Stopped = 4,
    }
}
