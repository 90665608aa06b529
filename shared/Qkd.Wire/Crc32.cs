namespace Qkd.Wire
{
    /// <summary>
    /// CRC-32/IEEE 802.3 (reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF), the same
    /// value as System.IO.Hashing.Crc32. Table-driven, one byte per step; the table is built once.
    /// </summary>
    public static class Crc32
    {
        private const uint ReflectedPolynomial = 0xEDB88320;
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start(), data, offset, count));
        }

        /// <summary>Running form for data that arrives in pieces: Finish(Update(Start(), ...)).</summary>
        public static uint Start()
        {
            return 0xFFFFFFFF;
        }

        public static uint Update(uint state, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                state = Table[(state ^ data[i]) & 0xFF] ^ (state >> 8);
            }
            return state;
        }

        public static uint Finish(uint state)
        {
            return state ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int bit = 0; bit < 8; bit++)
                {
                    c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }
    }
}
