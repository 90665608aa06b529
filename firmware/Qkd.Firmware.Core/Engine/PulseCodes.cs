#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// Reads MUX codes from a packed table, pulse 0 in the low bits of byte 0 (LSB first):
    /// 2 bits per pulse on Alice (0 H, 1 V, 2 R, 3 L), 1 bit per pulse on Bob (0 H/V, 1 R/L).
    /// </summary>
    public static class PulseCodes
    {
        public const int AliceBitsPerPulse = 2;
        public const int BobBitsPerPulse = 1;

        /// <summary>Bytes needed for <paramref name="pulseCount"/> codes of <paramref name="bitsPerPulse"/> bits.</summary>
        public static int PackedLength(int pulseCount, int bitsPerPulse)
        {
            return (int)(((long)pulseCount * bitsPerPulse + 7) / 8);
        }

        public static int Get(byte[] packed, int pulse, int bitsPerPulse)
        {
            if (bitsPerPulse == AliceBitsPerPulse)
            {
                return (packed[pulse >> 2] >> ((pulse & 3) << 1)) & 3;
            }

            return (packed[pulse >> 3] >> (pulse & 7)) & 1;
        }

        public static void Set(byte[] packed, int pulse, int bitsPerPulse, int code)
        {
            if (bitsPerPulse == AliceBitsPerPulse)
            {
                int shift = (pulse & 3) << 1;
                packed[pulse >> 2] = (byte)((packed[pulse >> 2] & ~(3 << shift)) | ((code & 3) << shift));
            }
            else
            {
                int shift = pulse & 7;
                packed[pulse >> 3] = (byte)((packed[pulse >> 3] & ~(1 << shift)) | ((code & 1) << shift));
            }
        }
    }
}
