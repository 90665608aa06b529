namespace Qkd.Wire
{
    /// <summary>Which end of the quantum channel a board drives.</summary>
    public static class BoardRole
    {
        public const byte Alice = 1;
        public const byte Bob = 2;
    }

    /// <summary>Pulse engine implementations (ARCHITECTURE.md, "Timing truth").</summary>
    public static class PulseEngineKind
    {
        public const byte Managed = 0;
        public const byte HardwareTimed = 1;
        public const byte Emulated = 2;
    }

    public static class TriggerEdge
    {
        public const byte Rising = 1;
        public const byte Falling = 2;
    }

    /// <summary>AD5754 coding of bipolar ranges, set by its BIN/2sCOMP pin (a board fact).</summary>
    public static class DacCoding
    {
        public const byte OffsetBinary = 0;
        public const byte TwosComplement = 1;
    }

    /// <summary>Detector code of a detection record.</summary>
    public static class DetectorCode
    {
        public const byte Apd0 = 1;
        public const byte Apd1 = 2;
        public const byte DoubleClick = 3;
    }

    /// <summary>States a block passes through on a board (BlockStatus.State).</summary>
    public static class BlockState
    {
        public const byte Empty = 0;
        public const byte Loading = 1;
        public const byte Armed = 2;
        public const byte Running = 3;
        public const byte Done = 4;
        public const byte Aborted = 5;
    }

    /// <summary>Error.Code values.</summary>
    public static class ErrorCode
    {
        public const ushort Unspecified = 0;
        public const ushort UnsupportedMessage = 1;
        public const ushort BadPayload = 2;
        public const ushort BadState = 3;
        public const ushort TableOverflow = 4;
        public const ushort Hardware = 5;
        public const ushort DacReadbackMismatch = 6;
    }
}
