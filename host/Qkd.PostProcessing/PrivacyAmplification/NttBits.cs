using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>Packed bits (LSB first) to one NTT value per bit and back, 8 lanes at a time.</summary>
    internal static unsafe class NttBits
    {
        /// <summary>
        /// values[t] = bit (start + t) of the packed vector for t &lt; count, 0 where that bit lies outside
        /// [0, bitLength) and for t in [count, length).
        /// </summary>
        public static void Unpack(ulong[] words, long bitLength, long start, int count, uint[] values, int length, bool vectorized, bool parallel)
        {
            int chunks = (length + 63) / 64;
            NttAvx2.ForEach(Math.Min(chunks, 64), parallel && length >= 1 << 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part) =>
            {
                int first = (int)((long)chunks * part / Math.Min(chunks, 64)), end = (int)((long)chunks * (part + 1) / Math.Min(chunks, 64));
                fixed (uint* v = values)
                {
                    for (int chunk = first; chunk < end; chunk++)
                    {
                        long t = (long)chunk * 64;
                        ulong bits = t >= count ? 0 : Window(words, bitLength, start + t);
                        if (count - t < 64) bits &= (1UL << (int)Math.Max(0, count - t)) - 1;
                        int take = (int)Math.Min(64, length - t);
                        if (vectorized && Avx2.IsSupported && take == 64) Expand64(bits, v + t);
                        else for (int i = 0; i < take; i++) v[t + i] = (uint)(bits >> i) & 1;
                    }
                }
            });
        }

        /// <summary>The 64 bits starting at bit position <paramref name="position"/> (zeros outside the vector).</summary>
        internal static ulong Window(ulong[] words, long bitLength, long position)
        {
            if (position >= bitLength || position <= -64) return 0;
            ulong result;
            if (position < 0) result = Word(words, 0) << (int)-position;
            else
            {
                long word = position >> 6;
                int shift = (int)(position & 63);
                result = Word(words, word) >> shift;
                if (shift != 0) result |= Word(words, word + 1) << (64 - shift);
            }
            long available = bitLength - position;
            return available >= 64 ? result : result & ((1UL << (int)available) - 1);
        }

        private static ulong Word(ulong[] words, long index) => index < words.Length ? words[index] : 0;

        /// <summary>The 16 bits for values t .. t+15 of an unpack (see <see cref="Unpack"/>), zeros outside.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint Bits16(ulong[] words, long bitLength, long start, int count, long t)
        {
            if (t >= count) return 0;
            ulong bits = Window(words, bitLength, start + t) & 0xFFFF;
            return count - t >= 16 ? (uint)bits : (uint)bits & ((1u << (int)(count - t)) - 1);
        }

        /// <summary>Writes the 16 bits as 16 values 0/1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Expand16(uint bits, uint* destination)
        {
            Vector256<uint> masks = Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128), one = Vector256<uint>.One;
            Avx.Store(destination, Vector256.Min(Vector256.Create(bits & 0xFF) & masks, one));
            Avx.Store(destination + 8, Vector256.Min(Vector256.Create(bits >> 8) & masks, one));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void Expand64(ulong bits, uint* destination)
        {
            Vector256<uint> masks = Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128), one = Vector256<uint>.One;
            for (int b = 0; b < 8; b++, bits >>= 8)
                Avx.Store(destination + 8 * b, Vector256.Min(Vector256.Create((uint)bits & 0xFF) & masks, one));
        }

        /// <summary>
        /// output bit (firstBit + i) = parity of (values[from + i] * factor R^-1 mod p) for i &lt; count:
        /// factor carries 1/N and the Montgomery correction. firstBit is a multiple of 64.
        /// </summary>
        public static void Pack(uint[] values, int from, int count, uint factor, ulong[] output, int firstBit, bool vectorized, bool parallel)
        {
            fixed (uint* v = values) Pack(v, from, count, factor, output, firstBit, vectorized, parallel);
        }

        /// <summary>As above, from native memory (values must stay put during the call).</summary>
        public static void Pack(uint* values, int from, int count, uint factor, ulong[] output, int firstBit, bool vectorized, bool parallel)
        {
            int words = (count + 63) / 64, parts = Math.Min(words, 64);
            nint address = (nint)values;
            NttAvx2.ForEach(parts, parallel && count >= 1 << 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (part) =>
            {
                int first = (int)((long)words * part / parts), end = (int)((long)words * (part + 1) / parts);
                uint* v = (uint*)address;
                for (int w = first; w < end; w++)
                {
                    int i = w * 64, take = Math.Min(64, count - i);
                    ulong bits = 0;
                    if (vectorized && Avx2.IsSupported && take == 64) bits = Parity64(v + from + i, factor);
                    else
                        for (int b = 0; b < take; b++)
                            bits |= (ulong)(NttField.Reduce(NttField.MontMul(v[from + i + b], factor)) & 1) << b;
                    output[(firstBit >> 6) + w] = bits;
                }
            });
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Parity64(uint* source, uint factor)
        {
            Vector256<uint> f = Vector256.Create(factor), p = Vector256.Create(NttField.P);
            ulong bits = 0;
            for (int b = 0; b < 8; b++)
            {
                Vector256<uint> u = NttAvx2.MontMul(Avx.LoadVector256(source + 8 * b), f, f);
                u = Vector256.Min(u, u - p);
                bits |= (ulong)Vector256.ExtractMostSignificantBits(u << 31) << (8 * b);
            }
            return bits;
        }
    }
}
