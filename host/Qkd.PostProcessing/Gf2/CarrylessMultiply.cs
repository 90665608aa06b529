using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.Gf2
{
    /// <summary>64 x 64 -> 128-bit carry-less (GF(2)[x]) multiply: PCLMULQDQ when present, portable otherwise.</summary>
    public static class CarrylessMultiply
    {
        public static bool HardwareAvailable => Pclmulqdq.IsSupported;

        /// <summary>Which carry-less path runs here: "vpclmulqdq-512", "pclmulqdq" or "portable".</summary>
        public static string Implementation =>
            Pclmulqdq.V512.IsSupported ? "vpclmulqdq-512" : Pclmulqdq.IsSupported ? "pclmulqdq" : "portable";

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Multiply(ulong a, ulong b, out ulong high, bool useHardware = true)
        {
            if (useHardware && Pclmulqdq.IsSupported)
            {
                Vector128<ulong> p = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(a), Vector128.CreateScalar(b), 0x00);
                high = p.GetElement(1);
                return p.GetElement(0);
            }
            return Portable(a, b, out high);
        }

        /// <summary>Shift-and-add over 4-bit windows of b, with a table of the 16 multiples of a.</summary>
        public static ulong Portable(ulong a, ulong b, out ulong high)
        {
            Span<ulong> lowTable = stackalloc ulong[16];
            Span<ulong> highTable = stackalloc ulong[16];
            for (int k = 1; k < 16; k++)
            {
                ulong lo = 0, hi = 0;
                for (int bit = 0; bit < 4; bit++)
                {
                    if (((k >> bit) & 1) == 0) continue;
                    lo ^= a << bit;
                    if (bit != 0) hi ^= a >> (64 - bit);
                }
                lowTable[k] = lo;
                highTable[k] = hi;
            }
            ulong resultLow = 0, resultHigh = 0;
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                // result <<= 4, then add the multiple selected by this nibble of b.
                resultHigh = (resultHigh << 4) | (resultLow >> 60);
                resultLow <<= 4;
                int nibble = (int)((b >> shift) & 15);
                resultLow ^= lowTable[nibble];
                resultHigh ^= highTable[nibble];
            }
            high = resultHigh;
            return resultLow;
        }
    }
}
