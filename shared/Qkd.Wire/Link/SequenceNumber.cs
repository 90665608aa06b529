#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>
    /// Arithmetic on 16-bit sequence numbers that wrap from 65535 to 0 (serial number arithmetic,
    /// RFC 1982): two numbers compare by their signed distance, valid while windows stay far below 32768.
    /// </summary>
    public static class SequenceNumber
    {
        /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/>, in -32768..32767.</summary>
        public static int Distance(ushort from, ushort to)
        {
            return (short)(ushort)(to - from);
        }

        /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/>.</summary>
        public static bool IsAfter(ushort a, ushort b)
        {
            return Distance(b, a) > 0;
        }

        public static ushort Add(ushort sequence, int delta)
        {
            return (ushort)(sequence + delta);
        }
    }
}
