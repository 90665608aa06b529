using System.Runtime.CompilerServices;

namespace Qkd.PostProcessing.Gf2
{
    /// <summary>Arithmetic in GF(2^64) = GF(2)[x] / (x^64 + x^4 + x^3 + x + 1).</summary>
    public static class Gf64
    {
        /// <summary>Low terms of the reduction polynomial: x^64 = x^4 + x^3 + x + 1.</summary>
        public const ulong ReductionLow = 0x1B;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Multiply(ulong a, ulong b, bool useHardware = true)
        {
            ulong low = CarrylessMultiply.Multiply(a, b, out ulong high, useHardware);
            // high x^64 = high (x^4 + x^3 + x + 1): at most 4 bits spill over, folded once more.
            ulong foldLow = CarrylessMultiply.Multiply(high, ReductionLow, out ulong foldHigh, useHardware);
            ulong last = CarrylessMultiply.Multiply(foldHigh, ReductionLow, out _, useHardware);
            return low ^ foldLow ^ last;
        }
    }
}
