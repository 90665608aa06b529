using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>The butterfly levels (AdditiveFft's index conventions) and the XOR-only basis conversions.</summary>
    internal static unsafe partial class AdditiveFftAvx
    {
        /// <summary>Levels of half 2^(L-1) down to the sub-block size as passes over the whole array, two levels per
        /// pass where two are left (half the memory traffic: these passes stream the whole array).</summary>
        private static void ForwardTop(ulong* f, int log, bool parallel)
        {
            int blockLog = FftBlockLog(log, parallel), m = log - 1;
            for (; m - 1 >= blockLog; m -= 2) TopLevelPair(f, log, m, parallel, inverse: false);
            if (m >= blockLog) TopLevel(f, log, m, parallel, inverse: false);
        }

        private static void InverseTop(ulong* f, int log, bool parallel)
        {
            int blockLog = FftBlockLog(log, parallel), m = blockLog;
            for (; m + 1 < log; m += 2) TopLevelPair(f, log, m + 1, parallel, inverse: true);
            if (m < log) TopLevel(f, log, m, parallel, inverse: true);
        }

        /// <summary>Levels m and m-1 in one pass: per block of 2^(m+1), quarters q0..q3; level m pairs q0-q2 and q1-q3
        /// (twiddle of block b), level m-1 pairs q0-q1 (block 2b) and q2-q3 (block 2b+1). Inverse: m-1 first.</summary>
        private static void TopLevelPair(ulong* f, int log, int m, bool parallel, bool inverse)
        {
            long quarter = 1L << (m - 1), length = Math.Min(PieceLength, quarter);
            int pieces = (int)((1L << (log - 2)) / length);
            WorkSharing.ForEach(pieces, parallel, ChunksPerWorker, [MethodImpl(Hot)] (piece) =>
            {
                long quad = piece * length;
                long block = quad >> (m - 1);
                ulong* q0 = f + (block << (m + 1)) + (quad & (quarter - 1)), q1 = q0 + quarter, q2 = q1 + quarter, q3 = q2 + quarter;
                ulong outer = Twiddle(block), innerLow = Twiddle(2 * block), innerHigh = Twiddle(2 * block + 1);
                if (inverse)
                {
                    InverseSpan(q0, q1, innerLow, length);
                    InverseSpan(q2, q3, innerHigh, length);
                    InverseSpan(q0, q2, outer, length);
                    InverseSpan(q1, q3, outer, length);
                }
                else
                {
                    ForwardSpan(q0, q2, outer, length);
                    ForwardSpan(q1, q3, outer, length);
                    ForwardSpan(q0, q1, innerLow, length);
                    ForwardSpan(q2, q3, innerHigh, length);
                }
            });
        }

        private static void TopLevel(ulong* f, int log, int m, bool parallel, bool inverse)
        {
            long half = 1L << m, length = Math.Min(PieceLength, half); // a piece stays in one block
            int pieces = (int)((1L << (log - 1)) / length);
            WorkSharing.ForEach(pieces, parallel, ChunksPerWorker, [MethodImpl(Hot)] (piece) =>
            {
                long butterfly = piece * length;
                long block = butterfly >> m;
                ulong* low = f + (block << (m + 1)) + (butterfly & (half - 1)), high = low + half;
                ulong twiddle = Twiddle(block);
                if (inverse) InverseSpan(low, high, twiddle, length);
                else ForwardSpan(low, high, twiddle, length);
            });
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardSpan(ulong* low, ulong* high, ulong twiddle, long count)
        {
            if (twiddle == 0)
            {
                XorInto(high, low, count);
                return;
            }
            Vector256<ulong> c = Vector256.Create(twiddle);
            for (long j = 0; j < count; j += 4)
            {
                Vector256<ulong> a = Avx.LoadVector256(low + j), b = Avx.LoadVector256(high + j);
                a ^= Multiply(c, b);
                Avx.Store(low + j, a);
                Avx.Store(high + j, b ^ a);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseSpan(ulong* low, ulong* high, ulong twiddle, long count)
        {
            if (twiddle == 0)
            {
                XorInto(high, low, count);
                return;
            }
            Vector256<ulong> c = Vector256.Create(twiddle);
            for (long j = 0; j < count; j += 4)
            {
                Vector256<ulong> a = Avx.LoadVector256(low + j), b = Avx.LoadVector256(high + j) ^ a;
                Avx.Store(high + j, b);
                Avx.Store(low + j, a ^ Multiply(c, b));
            }
        }

        /// <summary>Levels of half 2^(blockLog-1) down to 1 on the sub-block at global element index g.</summary>
        [MethodImpl(Hot)]
        private static void ForwardBlock(ulong* p, long g, int blockLog)
        {
            long size = 1L << blockLog;
            for (int m = blockLog - 1; m >= 3; m--)
            {
                long half = 1L << m;
                for (long o = 0; o < size; o += 2 * half)
                    ForwardSpan(p + o, p + o + half, Twiddle((g + o) >> (m + 1)), half);
            }
            for (long o = 0; o < size; o += 8) LastThreeForward(p + o, g + o);
        }

        [MethodImpl(Hot)]
        private static void InverseBlock(ulong* p, long g, int blockLog)
        {
            long size = 1L << blockLog;
            for (long o = 0; o < size; o += 8) LastThreeInverse(p + o, g + o);
            for (int m = 3; m < blockLog; m++)
            {
                long half = 1L << m;
                for (long o = 0; o < size; o += 2 * half)
                    InverseSpan(p + o, p + o + half, Twiddle((g + o) >> (m + 1)), half);
            }
        }

        /// <summary>Halves 4, 2 and 1 on 8 elements v0..v3, w0..w3 (g a multiple of 8): v against w, then gathered as
        /// [v0 v1 w0 w1] against [v2 v3 w2 w3], then as [v0 v2 w0 w2] against [v1 v3 w1 w3].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LastThreeForward(ulong* p, long g)
        {
            Vector256<ulong> v = Avx.LoadVector256(p), w = Avx.LoadVector256(p + 4);
            v ^= Multiply(Vector256.Create(Twiddle(g >> 3)), w);
            w ^= v;
            Vector256<ulong> low = Avx2.Permute2x128(v, w, 0x20), high = Avx2.Permute2x128(v, w, 0x31);
            ulong t = Twiddle(g >> 2);
            low ^= Multiply(Vector256.Create(t, t, t ^ Beta1, t ^ Beta1), high);
            high ^= low;
            Vector256<ulong> even = Avx2.UnpackLow(low, high), odd = Avx2.UnpackHigh(low, high);
            even ^= Multiply(PairTwiddles(g >> 1), odd);
            odd ^= even;
            low = Avx2.UnpackLow(even, odd);
            high = Avx2.UnpackHigh(even, odd);
            Avx.Store(p, Avx2.Permute2x128(low, high, 0x20));
            Avx.Store(p + 4, Avx2.Permute2x128(low, high, 0x31));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LastThreeInverse(ulong* p, long g)
        {
            Vector256<ulong> v = Avx.LoadVector256(p), w = Avx.LoadVector256(p + 4);
            Vector256<ulong> low = Avx2.Permute2x128(v, w, 0x20), high = Avx2.Permute2x128(v, w, 0x31);
            Vector256<ulong> even = Avx2.UnpackLow(low, high), odd = Avx2.UnpackHigh(low, high);
            odd ^= even;
            even ^= Multiply(PairTwiddles(g >> 1), odd);
            low = Avx2.UnpackLow(even, odd);
            high = Avx2.UnpackHigh(even, odd);
            high ^= low;
            ulong t = Twiddle(g >> 2);
            low ^= Multiply(Vector256.Create(t, t, t ^ Beta1, t ^ Beta1), high);
            v = Avx2.Permute2x128(low, high, 0x20);
            w = Avx2.Permute2x128(low, high, 0x31);
            w ^= v;
            v ^= Multiply(Vector256.Create(Twiddle(g >> 3)), w);
            Avx.Store(p, v);
            Avx.Store(p + 4, w);
        }

        /// <summary>Twiddles of the 4 size-2 blocks q .. q+3 (q a multiple of 4).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<ulong> PairTwiddles(long q) =>
            Vector256.Create(Twiddle(q)) ^ Vector256.Create(0, Beta1, Beta2, Beta1 ^ Beta2);

        /// <summary>Levels 2 (s_2 = y^4 + y: distance 3) and 1 (s_1 = y^2 + y: distance 1) on 8 elements (4 when m = 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ToNovelEight(ulong* p, int m)
        {
            if (m == 2)
            {
                p[4] ^= p[7]; p[3] ^= p[6]; p[2] ^= p[5]; p[1] ^= p[4];
                p[6] ^= p[7]; p[5] ^= p[6];
            }
            if (m >= 1) { p[2] ^= p[3]; p[1] ^= p[2]; }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void FromNovelEight(ulong* p, int m)
        {
            if (m >= 1) { p[1] ^= p[2]; p[2] ^= p[3]; }
            if (m == 2)
            {
                p[5] ^= p[6]; p[6] ^= p[7];
                p[1] ^= p[4]; p[2] ^= p[5]; p[3] ^= p[6]; p[4] ^= p[7];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void XorInto(ulong* target, ulong* source, long count)
        {
            long i = 0;
            for (; i + 4 <= count; i += 4)
                Avx.Store(target + i, Avx.LoadVector256(target + i) ^ Avx.LoadVector256(source + i));
            for (; i < count; i++) target[i] ^= source[i];
        }
    }
}
