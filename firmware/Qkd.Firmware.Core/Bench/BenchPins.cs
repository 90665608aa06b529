#nullable disable

namespace Qkd.Firmware.Bench
{
    /// <summary>
    /// Pins the bench routine drives (GPIO numbers from the board file, -1 = not wired). The MUX pins are
    /// the ones Configure hands to the pulse engine (the engine keeps them open as outputs); Bob's A1 is
    /// tied low (-1). The scope-sync output is the bench's own.
    /// </summary>
    public sealed class BenchPins
    {
        public const int NotWired = -1;

        public int MuxEnable = NotWired;
        public int MuxA0 = NotWired;
        public int MuxA1 = NotWired;
        public int ScopeSync = NotWired;
    }
}
