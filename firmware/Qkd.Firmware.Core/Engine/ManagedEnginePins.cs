#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// GPIO numbers the managed engine drives and reads (from the board file). -1 = not wired:
    /// Alice has no gate or latches; Bob's MUX A1 is tied low (two channels, one per basis).
    /// </summary>
    public sealed class ManagedEnginePins
    {
        public const int NotWired = -1;

        public int Trigger = NotWired;
        public int MuxEnable = NotWired;
        public int MuxA0 = NotWired;
        public int MuxA1 = NotWired;
        public int Gate = NotWired;
        public int Latch0 = NotWired;
        public int Latch1 = NotWired;
        public int LatchClear = NotWired;
    }
}
