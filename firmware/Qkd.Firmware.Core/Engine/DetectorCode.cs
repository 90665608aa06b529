#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// What Bob's APD latches held after a pulse's gate: one bit per APD. The values are the wire
    /// protocol's detector codes (Qkd.Wire DetectorCode), so records go to the host unchanged.
    /// </summary>
    public static class DetectorCode
    {
        public const byte None = 0;
        public const byte Apd0 = 1;
        public const byte Apd1 = 2;

        /// <summary>Both APDs clicked in one gate: kept and flagged, never dropped.</summary>
        public const byte DoubleClick = 3;
    }
}
