using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Frame confirmation hash: polynomial evaluation over GF(2^64) (modulus x^64 + x^4 + x^3 + x + 1) at a
/// random key k by Horner's rule over the frame's 64-bit words, with the bit length absorbed last so frames
/// of different lengths never collide trivially: h = m_1 k^(L+1) + ... + m_L k^2 + len k. Two different
/// frames of L words collide with probability at most (L+1)/2^64 over the key.
/// INTERNAL STAND-IN: pp-core's Qkd.PostProcessing.Confirmation had not landed when this was written;
/// replace with it once it has.
/// </summary>
public static class FrameHash
{
    public static ulong Compute(ReadOnlySpan<ulong> words, int bits, ulong key)
    {
        ulong h = 0;
        var count = (bits + 63) >> 6;
        for (var i = 0; i < count; i++)
        {
            var word = words[i];
            if (i == count - 1 && (bits & 63) != 0) word &= (1UL << (bits & 63)) - 1;
            h = Multiply(h ^ word, key);
        }
        return Multiply(h ^ (ulong)bits, key);
    }

    /// <summary>Product in GF(2^64): carry-less multiply (PCLMULQDQ when present) and reduction.</summary>
    public static ulong Multiply(ulong a, ulong b)
    {
        ulong low, high;
        if (Pclmulqdq.IsSupported)
        {
            var product = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(a), Vector128.CreateScalar(b), 0);
            low = product.GetElement(0);
            high = product.GetElement(1);
        }
        else
        {
            low = 0;
            high = 0;
            for (var i = 0; i < 64; i++)
            {
                if (((b >> i) & 1) == 0) continue;
                low ^= a << i;
                if (i != 0) high ^= a >> (64 - i);
            }
        }
        return Reduce(low, high);
    }

    /// <summary>x^64 = x^4 + x^3 + x + 1: fold the high word twice.</summary>
    private static ulong Reduce(ulong low, ulong high)
    {
        // high * (x^4 + x^3 + x + 1) spills at most 4 bits past 64; fold those once more.
        var spill = (high >> 60) ^ (high >> 61) ^ (high >> 63);
        low ^= high ^ (high << 1) ^ (high << 3) ^ (high << 4);
        low ^= spill ^ (spill << 1) ^ (spill << 3) ^ (spill << 4);
        return low;
    }
}
