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

        public static (BitVector First, BitVector? Second) Hash(AdditiveFftPlan plan, BitVector first, BitVector? second,
            BitVector seed, int outputBits, bool parallel)
        {
            long points = plan.Points;
            int log = plan.Log;
            NttBuffer seedBuffer = NttBuffers.Rent(2 * points), firstBuffer = NttBuffers.Rent(2 * points);
            NttBuffer? secondBuffer = second is null ? null : NttBuffers.Rent(2 * points);
            ulong* s = (ulong*)seedBuffer.Pointer, x = (ulong*)firstBuffer.Pointer, y = secondBuffer is null ? null : (ulong*)secondBuffer.Pointer;
            try
            {
                int n = first.Length;
                Load(seed.Words, (long)n + outputBits - 1, s, points);
                ToNovel(s, log, plan.SeedChunks, parallel);
                ForwardTop(s, log, parallel);
                int blockLog = FftBlockLog(log, parallel);
                ForEachBlock(log, parallel, g => ForwardBlock(s + g, g, blockLog));

                BitVector firstHash = Convolve(plan, first, x, s, outputBits, parallel);
                BitVector? secondHash = second is null ? null : Convolve(plan, second, y, s, outputBits, parallel);
                return (firstHash, secondHash);
            }
            finally
            {
                // Every buffer held key or seed material (or its transform).
                Wipe(s, points, parallel);
                Wipe(x, points, parallel);
                if (y != null) Wipe(y, points, parallel);
                NttBuffers.Return(seedBuffer);
                NttBuffers.Return(firstBuffer);
                if (secondBuffer is not null) NttBuffers.Return(secondBuffer);
            }
        }

        /// <summary>Input to the novel basis, forward, times the transformed seed, inverse, to monomials, bits out:
        /// per sub-block the lower forward levels, the products and the lower inverse levels run in one go (in L2).</summary>
        private static BitVector Convolve(AdditiveFftPlan plan, BitVector input, ulong* x, ulong* s, int outputBits, bool parallel)
        {
            int log = plan.Log, blockLog = FftBlockLog(log, parallel);
            Load(input.Words, input.Length, x, plan.Points);
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
            return ToeplitzAdditiveFft.ExtractBits(new ReadOnlySpan<ulong>(x, checked((int)plan.Points)), input.Length, outputBits);
        }

        private static void Load(ulong[] words, long bits, ulong* target, long points) =>
            ToeplitzAdditiveFft.LoadChunks(words, bits, new Span<ulong>(target, checked((int)points)));

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
