using System;

namespace Qkd.Wire
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): removes every 0x00 from a block
    /// so 0x00 can delimit frames. Overhead is at most one byte per 254 plus one.
    /// </summary>
    public static class Cobs
    {
        /// <summary>Upper bound of Encode's output for count input bytes (no delimiter).</summary>
        public static int MaxEncodedLength(int count)
        {
            return count + count / 254 + 1;
        }

        /// <summary>Encodes count bytes of src into dst; returns the encoded length. Writes no trailing 0x00.</summary>
        public static int Encode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            int codeIndex = dstOffset;
            int write = dstOffset + 1;
            byte code = 1;
            int end = offset + count;
            for (int read = offset; read < end; read++)
            {
                byte b = src[read];
                if (b != 0)
                {
                    dst[write++] = b;
                    code++;
                }
                if (b == 0 || code == 0xFF)
                {
                    dst[codeIndex] = code;
                    code = 1;
                    codeIndex = write;
                    // A full 254-byte run at the very end needs no further code byte.
                    if (b != 0 && read + 1 == end)
                    {
                        return write - dstOffset;
                    }
                    write++;
                }
            }
            dst[codeIndex] = code;
            return write - dstOffset;
        }

        /// <summary>
        /// Decodes count bytes of src into dst (which must hold count bytes); returns the decoded
        /// length, or -1 when the input is not valid COBS (a 0x00 inside, or a run past the end).
        /// </summary>
        public static int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            int read = offset;
            int end = offset + count;
            int write = dstOffset;
            while (read < end)
            {
                int code = src[read++];
                if (code == 0)
                {
                    return -1;
                }
                int runEnd = read + code - 1;
                if (runEnd > end)
                {
                    return -1;
                }
                while (read < runEnd)
                {
                    byte b = src[read++];
                    if (b == 0)
                    {
                        return -1;
                    }
                    dst[write++] = b;
                }
                if (code != 0xFF && read < end)
                {
                    dst[write++] = 0;
                }
            }
            return write - dstOffset;
        }
    }
}
