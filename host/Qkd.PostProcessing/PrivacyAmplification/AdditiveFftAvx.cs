using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Gf2;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// The additive FFT's vector path: 4 GF(2^64) products per 2 VPCLMULQDQ (256-bit) plus a shift-and-XOR
    /// reduction; the array cut into sub-blocks of 2^<see cref="BlockLog"/> elements (256 KiB, in L2) after the top
    /// levels, which run as passes over the whole array. Both cores share every pass (WorkSharing.ForEach).
    /// </summary>
    internal static unsafe partial class AdditiveFftAvx
    {
        public static bool IsSupported => Avx2.IsSupported && Pclmulqdq.V256.IsSupported;

        /// <summary>The last two levels run fused on 8 elements: smaller transforms take the scalar loops.</summary>
        public const int MinLog = 3;

        /// <summary>Sub-blocks of 2^15 elements (256 KiB): the lower levels of each run in L2.</summary>
        public const int BlockLog = 15;

        /// <summary>Sub-block size of a 2^log transform: <see cref="BlockLog"/>, or with both cores at least 8 sub-blocks
        /// (2^16 points in two sub-blocks ran their lower levels on 1.3 cores).</summary>
        internal static int FftBlockLog(int log, bool parallel) => Math.Min(log, parallel ? Math.Clamp(log - 3, MinLog, BlockLog) : BlockLog);

        /// <summary>Butterflies (or XORed elements) per work item of a pass over the whole array.</summary>
        private const int PieceLength = 1 << 13;

        private const int ChunksPerWorker = 32;

        /// <summary>Compiled optimised at once: these run a few times per hash, too few for tiering to reach them
        /// (tier-0 vector code measured ~5x slower at 2^16 bits).</summary>
        private const MethodImplOptions Hot = MethodImplOptions.AggressiveOptimization;

        private static readonly ulong Beta1 = CantorBasis.Beta(1), Beta2 = CantorBasis.Beta(2);

        // AdditiveFft's twiddle tables (pinned arrays: they never move), read without bounds checks.
        private static readonly ulong* TwiddleLow = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(AdditiveFft.TwiddleLow));
        private static readonly ulong* TwiddleHigh = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(AdditiveFft.TwiddleHigh));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Twiddle(long block) => TwiddleLow[block & 0xFFFF] ^ TwiddleHigh[block >> 16];

        /// <summary>a b in GF(2^64), 4 lanes. Reduction of the high half h: x^64 = x^4 + x^3 + x + 1, so h x^64 =
        /// (h + s)(x^4 + x^3 + x + 1) mod x^64 with s = h >> 60 + h >> 61 + h >> 63, the bits h pushes past x^64.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<ulong> Multiply(Vector256<ulong> a, Vector256<ulong> b)
        {
            Vector256<ulong> even = Pclmulqdq.V256.CarrylessMultiply(a, b, 0x00); // lo0 hi0 | lo2 hi2
            Vector256<ulong> odd = Pclmulqdq.V256.CarrylessMultiply(a, b, 0x11);  // lo1 hi1 | lo3 hi3
            Vector256<ulong> low = Avx2.UnpackLow(even, odd), high = Avx2.UnpackHigh(even, odd);
            Vector256<ulong> t = high ^ Avx2.ShiftRightLogical(high, 60) ^ Avx2.ShiftRightLogical(high, 61) ^ Avx2.ShiftRightLogical(high, 63);
            return low ^ t ^ Avx2.ShiftLeftLogical(t, 1) ^ Avx2.ShiftLeftLogical(t, 3) ^ Avx2.ShiftLeftLogical(t, 4);
        }

        /// <summary>One hash, or two with one seed (<paramref name="second"/> not null): the seed is transformed once.
        /// Lengths are checked by the caller (ToeplitzHash).</summary>
        public static (BitVector First, BitVector? Second) Hash(AdditiveFftPlan plan, BitVector first, BitVector? second,
            BitVector seed, int outputBits, bool parallel)
        {
            long points = plan.Points;
            int log = plan.Log;
            NttBuffer? seedBuffer = null, firstBuffer = null, secondBuffer = null;
            try
            {
                seedBuffer = NttBuffers.Rent(2 * points); // 2 uints per element
                firstBuffer = NttBuffers.Rent(2 * points);
                if (second is not null) secondBuffer = NttBuffers.Rent(2 * points);
                ulong* s = (ulong*)seedBuffer.Pointer, x = (ulong*)firstBuffer.Pointer;
                int n = first.Length;
                Load(seed.Words, (long)n + outputBits - 1, s, points, parallel);
                ToNovel(s, log, plan.SeedChunks, parallel);
                ForwardTop(s, log, parallel);
                int blockLog = FftBlockLog(log, parallel);
                ForEachBlock(log, parallel, g => ForwardBlock(s + g, g, blockLog));

                BitVector firstHash = Convolve(plan, first, x, s, outputBits, parallel);
                try
                {
                    BitVector? secondHash = secondBuffer is null ? null : Convolve(plan, second!, (ulong*)secondBuffer.Pointer, s, outputBits, parallel);
                    return (firstHash, secondHash);
                }
                catch
                {
                    Array.Clear(firstHash.Words); // a finished key is not left behind when the second one fails
                    throw;
                }
            }
            finally
            {
                // Every buffer held key or seed material (or its transform).
                WipeAndReturn(seedBuffer, points, parallel);
                WipeAndReturn(firstBuffer, points, parallel);
                WipeAndReturn(secondBuffer, points, parallel);
            }
        }

        private static void WipeAndReturn(NttBuffer? buffer, long points, bool parallel)
        {
            if (buffer is null) return;
            Wipe((ulong*)buffer.Pointer, points, parallel);
            NttBuffers.Return(buffer);
        }

        /// <summary>Input to the novel basis, forward, times the transformed seed, inverse, to monomials, bits out:
        /// per sub-block the lower forward levels, the products and the lower inverse levels run in one go (in L2).</summary>
        private static BitVector Convolve(AdditiveFftPlan plan, BitVector input, ulong* x, ulong* s, int outputBits, bool parallel)
        {
            int log = plan.Log, blockLog = FftBlockLog(log, parallel);
            Load(input.Words, input.Length, x, plan.Points, parallel);
            ToNovel(x, log, plan.InputChunks, parallel);
            ForwardTop(x, log, parallel);
            ForEachBlock(log, parallel, [MethodImpl(Hot)] (g) =>
            {
                ForwardBlock(x + g, g, blockLog);
                MultiplyInto(x + g, s + g, 1L << blockLog);
                InverseBlock(x + g, g, blockLog);
            });
            InverseTop(x, log, parallel);
            FromNovel(x, log, plan.LowestWantedChunk, parallel);
            return Extract(x, plan.Points, input.Length, outputBits, parallel);
        }

        /// <summary>ToeplitzAdditiveFft.LoadChunks in pieces across the cores: 4 words to 8 chunks per step (low and
        /// high halves unpacked, then the 128-bit lanes put in order); the last chunk masked, the rest zeroed.</summary>
        private static void Load(ulong[] words, long bits, ulong* target, long points, bool parallel)
        {
            long chunks = (bits + 31) / 32, wholeWords = chunks / 2;
            int pieces = (int)((points + PieceLength - 1) / PieceLength);
            fixed (ulong* source = words)
            {
                ulong* from = source;
                WorkSharing.ForEach(pieces, parallel, ChunksPerWorker, [MethodImpl(Hot)] (i) =>
                {
                    long start = (long)i * PieceLength, end = Math.Min(points, start + PieceLength); // chunk indices, even
                    long word = start / 2, wordEnd = Math.Min(wholeWords, end / 2);
                    Vector256<ulong> lowMask = Vector256.Create(0xFFFF_FFFFUL);
                    for (; word + 4 <= wordEnd; word += 4)
                    {
                        Vector256<ulong> v = Avx.LoadVector256(from + word);
                        Vector256<ulong> low = v & lowMask, high = Avx2.ShiftRightLogical(v, 32);
                        // Words a b c d: [a.lo a.hi | c.lo c.hi] and [b.lo b.hi | d.lo d.hi], then the lanes in order.
                        Vector256<ulong> ac = Avx2.UnpackLow(low, high), bd = Avx2.UnpackHigh(low, high);
                        Avx.Store(target + 2 * word, Avx2.Permute2x128(ac, bd, 0x20));
                        Avx.Store(target + 2 * word + 4, Avx2.Permute2x128(ac, bd, 0x31));
                    }
                    for (; word < wordEnd; word++)
                    {
                        target[2 * word] = (uint)from[word];
                        target[2 * word + 1] = from[word] >> 32;
                    }
                    long chunk = Math.Max(start, 2 * wholeWords);
                    if (chunk < end && chunk < chunks) // the odd last chunk: the low half of the next word
                    {
                        target[chunk] = (uint)from[chunk / 2];
                        chunk++;
                    }
                    if (chunk < end) new Span<ulong>(target + chunk, (int)(end - chunk)).Clear();
                });
            }
            int tail = (int)(bits - 32 * (chunks - 1));
            if (tail < 32) target[chunks - 1] &= (1UL << tail) - 1;
        }

        /// <summary>ToeplitzAdditiveFft.ExtractBits in pieces across the cores.</summary>
        private static BitVector Extract(ulong* c, long points, int inputBits, int outputBits, bool parallel)
        {
            var words = new ulong[BitVector.WordCount(outputBits)];
            int pieces = (words.Length + PieceLength - 1) / PieceLength;
            fixed (ulong* output = words)
            {
                ulong* to = output;
                int count = words.Length;
                WorkSharing.ForEach(pieces, parallel, ChunksPerWorker, [MethodImpl(Hot)] (piece) =>
                {
                    var coefficients = new ReadOnlySpan<ulong>(c, (int)points);
                    int end = Math.Min(count, (piece + 1) * PieceLength);
                    for (int i = piece * PieceLength; i < end; i++) to[i] = ToeplitzAdditiveFft.OutputWord(coefficients, inputBits, i);
                });
            }
            return new BitVector(words, outputBits);
        }

        private static void Wipe(ulong* f, long points, bool parallel)
        {
            long pieces = (points + PieceLength - 1) / PieceLength;
            WorkSharing.ForEach((int)pieces, parallel, ChunksPerWorker, [MethodImpl(Hot)] (i) =>
            {
                long start = (long)i * PieceLength;
                new Span<ulong>(f + start, (int)Math.Min(PieceLength, points - start)).Clear();
            });
        }

        private static void ForEachBlock(int log, bool parallel, Action<long> body)
        {
            int blockLog = FftBlockLog(log, parallel);
            int blocks = 1 << (log - blockLog);
            WorkSharing.ForEach(blocks, parallel, blocks, b => body((long)b << blockLog));
        }

        [MethodImpl(Hot)]
        private static void MultiplyInto(ulong* x, ulong* s, long count)
        {
            for (long i = 0; i < count; i += 4)
                Avx.Store(x + i, Multiply(Avx.LoadVector256(x + i), Avx.LoadVector256(s + i)));
        }
    }
}
