namespace Qkd.Wire
{
    /// <summary>Protocol-wide numbers both sides agree on.</summary>
    public static class WireConstants
    {
        /// <summary>First byte of every frame body; a frame with another value is rejected.</summary>
        public const byte ProtocolVersion = 1;

        /// <summary>Largest MessagePack payload of one frame; both sides size their buffers from it.</summary>
        public const int MaxPayloadBytes = 1024;

        /// <summary>version (1) + type (1) + sequence (2) before the payload.</summary>
        public const int HeaderBytes = 4;

        /// <summary>CRC-32 after the payload.</summary>
        public const int CrcBytes = 4;
    }
}
