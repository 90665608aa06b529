using System.Numerics;
using System.Runtime.CompilerServices;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Basis conversions by Taylor expansion (Gao-Mateer) and the composition of subspace polynomials, about half the
    /// XORs of dividing by every s_m (AdditiveFft.ToNovelScalar, the reference; the result is unique, tests compare).
    /// For L &lt;= 2K (K a power of two): s_(K+i) = s_i(s_K(y)) for i &lt; K, so X_k(y) = X_klo(y) X_khi(z) with
    /// z = s_K(y) = y^(2^K) + y. Hence: (1) expand f(y) = sum_h T_h(y) z^h, deg T_h &lt; 2^K (T_h in block h);
    /// (2) convert each column (coefficient j of every T_h: a polynomial in z of 2^(L-K) terms) and (3) each row
    /// (T_h, in y, 2^K terms), both recursively. The expansion divides blocks of 2 tau 2^s by the binomial
    /// (y^tau + y)^(2^s) = y^(tau 2^s) + y^(2^s) (tau = 2^K), one distance per level. Columns are handled as rows of
    /// "wide" elements (width W: all columns at once), so every operation XORs one contiguous span onto another,
    /// always downwards. Hence zeros from usedLength on stay zero and, going back, a result depends only on
    /// positions at or above it: work that reads only zeros, or writes only unwanted coefficients, is skipped.
    /// </summary>
    internal static unsafe partial class AdditiveFftAvx
    {
        /// <summary>One conversion: the array, the skip bounds (element indices), whether spans and rows are split
        /// across the cores.</summary>
        private readonly struct Conversion
        {
            public Conversion(ulong* origin, long zeroFrom, long wantedFrom, bool parallel)
            {
                Origin = origin; ZeroFrom = zeroFrom; WantedFrom = wantedFrom; Parallel = parallel;
            }
            public readonly ulong* Origin;
            public readonly long ZeroFrom, WantedFrom;
            public readonly bool Parallel;
            public Conversion Serial => new(Origin, ZeroFrom, WantedFrom, false);
        }

        /// <summary>Spans this long or longer are split across the cores (when the conversion is parallel).</summary>
        private const long ParallelSpan = 1 << 15;

        /// <summary>Monomial to novel basis; elements from usedLength on are zero.</summary>
        internal static void ToNovel(ulong* f, int log, long usedLength, bool parallel) =>
            ToNovel(new Conversion(f, usedLength, 0, parallel), 0, log, 1);

        /// <summary>Novel to monomial basis; only coefficients from wantedFrom on are needed.</summary>
        internal static void FromNovel(ulong* f, int log, long wantedFrom, bool parallel) =>
            FromNovel(new Conversion(f, long.MaxValue, wantedFrom, parallel), 0, log, 1);

        /// <summary>The same on a managed span (tests).</summary>
        internal static void ToNovel(Span<ulong> f, long usedLength, bool parallel)
        {
            fixed (ulong* p = f) ToNovel(p, AdditiveFft.Log(f.Length), usedLength, parallel);
        }

        internal static void FromNovel(Span<ulong> f, long wantedFrom, bool parallel)
        {
            fixed (ulong* p = f) FromNovel(p, AdditiveFft.Log(f.Length), wantedFrom, parallel);
        }

        /// <summary>2^log elements of width w (w contiguous ulongs each) from element index p.</summary>
        [MethodImpl(Hot)]
        private static void ToNovel(in Conversion c, long p, int log, long w)
        {
            if (log <= 1 || p >= c.ZeroFrom) return;
            if (w == 1 && log <= DirectLog)
            {
                ToNovelBlock(c.Origin + p, log - 1);
                return;
            }
            int k = HalfLog(log);
            for (int s = log - k - 1; s >= 0; s--) ExpansionLevel(c, p, log, k, s, w, toNovel: true);
            ToNovel(c, p, log - k, w << k);
            Rows(c, p, log, k, w, toNovel: true);
        }

        [MethodImpl(Hot)]
        private static void FromNovel(in Conversion c, long p, int log, long w)
        {
            if (log <= 1 || p + (w << log) <= c.WantedFrom) return;
            if (w == 1 && log <= DirectLog)
            {
                FromNovelBlock(c.Origin + p, log - 1);
                return;
            }
            int k = HalfLog(log);
            Rows(c, p, log, k, w, toNovel: false);
            FromNovel(c, p, log - k, w << k);
            for (int s = 0; s < log - k; s++) ExpansionLevel(c, p, log, k, s, w, toNovel: false);
        }

        /// <summary>Blocks of up to 2^DirectLog single elements are divided by every s_m directly: the expansion's spans
        /// get too short there (with 2^3 as the limit the conversions measured 2x slower; with 2^8, 15-20 % faster than
        /// the direct division throughout, one core, 2^20 elements).</summary>
        private const int DirectLog = 8;

        /// <summary>Levels m .. 0 on the block of 2^(m+1) at p, by the definition.</summary>
        [MethodImpl(Hot)]
        private static void ToNovelBlock(ulong* p, int m)
        {
            if (m <= 2)
            {
                ToNovelEight(p, m);
                return;
            }
            DivideLevel(p, m, toNovel: true);
            ToNovelBlock(p, m - 1);
            ToNovelBlock(p + (1L << m), m - 1);
        }

        [MethodImpl(Hot)]
        private static void FromNovelBlock(ulong* p, int m)
        {
            if (m <= 2)
            {
                FromNovelEight(p, m);
                return;
            }
            FromNovelBlock(p, m - 1);
            FromNovelBlock(p + (1L << m), m - 1);
            DivideLevel(p, m, toNovel: false);
        }

        private static readonly int[][] DistanceTable = Enumerable.Range(0, DirectLog).Select(AdditiveFft.Distances).ToArray();

        /// <summary>Level m (3 to DirectLog - 1) on the block of 2^(m+1) at p: element d of the upper half XORed onto d - distance for
        /// every distance 2^m - 2^j (j a proper subset of m), in runs of at most the smallest distance, whole vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void DivideLevel(ulong* block, int m, bool toNovel)
        {
            int[] distances = DistanceTable[m];
            long half = 1L << m, size = half << 1, run = distances[0] & ~3L;
            if (toNovel)
                for (long high = size; high > half; high -= run)
                {
                    long low = Math.Max(half, high - run);
                    foreach (int distance in distances) XorInto(block + low - distance, block + low, high - low);
                }
            else
                for (long low = half; low < size; low += run)
                    foreach (int distance in distances) XorInto(block + low - distance, block + low, Math.Min(run, size - low));
        }

        /// <summary>K: the largest power of two below log (log - K &lt;= K).</summary>
        private static int HalfLog(int log) => 1 << BitOperations.Log2((uint)(log - 1));

        /// <summary>The 2^(log-k) rows of 2^k elements, each converted alone (in parallel when large).</summary>
        private static void Rows(in Conversion c, long p, int log, int k, long w, bool toNovel)
        {
            int rows = 1 << (log - k);
            long rowLength = w << k;
            if (c.Parallel && rowLength < ParallelSpan * 8)
            {
                Conversion serial = c.Serial;
                WorkSharing.ForEach(rows, true, rows, [MethodImpl(Hot)] (h) =>
                {
                    if (toNovel) ToNovel(serial, p + h * rowLength, k, w);
                    else FromNovel(serial, p + h * rowLength, k, w);
                });
                return;
            }
            for (int h = 0; h < rows; h++)
            {
                if (toNovel) ToNovel(c, p + h * rowLength, k, w);
                else FromNovel(c, p + h * rowLength, k, w);
            }
        }

        /// <summary>Expansion level s: each block of 2 D elements (D = 2^(k+s)) divided by y^D + y^(2^s): element
        /// d >= D XORed onto d - D + 2^s, in runs no longer than that distance (top run first; bottom first back).</summary>
        [MethodImpl(Hot)]
        private static void ExpansionLevel(in Conversion c, long p, int log, int k, int s, long w, bool toNovel)
        {
            long half = 1L << (k + s), distance = half - (1L << s), size = half << 1;
            long run = w == 1 && distance >= 4 ? distance & ~3L : distance;
            for (long block = 0; block < (1L << log); block += size)
            {
                if (toNovel)
                    for (long high = size; high > half; high -= run)
                    {
                        long low = Math.Max(half, high - run);
                        XorSpan(c, p + (block + low - distance) * w, p + (block + low) * w, (high - low) * w);
                    }
                else
                    for (long low = half; low < size; low += run)
                    {
                        long high = Math.Min(size, low + run);
                        XorSpan(c, p + (block + low - distance) * w, p + (block + low) * w, (high - low) * w);
                    }
            }
        }

        /// <summary>Elements [source, source + count) XORed onto [target, ...): zero sources and unwanted targets
        /// skipped, long spans split across the cores.</summary>
        [MethodImpl(Hot)]
        private static void XorSpan(in Conversion c, long target, long source, long count)
        {
            if (source >= c.ZeroFrom || target + count <= c.WantedFrom) return;
            count = Math.Min(count, c.ZeroFrom - source);
            ulong* to = c.Origin + target, from = c.Origin + source;
            if (!c.Parallel || count < 2 * ParallelSpan)
            {
                XorInto(to, from, count);
                return;
            }
            int pieces = (int)((count + PieceLength - 1) / PieceLength);
            WorkSharing.ForEach(pieces, true, ChunksPerWorker, [MethodImpl(Hot)] (i) =>
            {
                long start = (long)i * PieceLength;
                XorInto(to + start, from + start, Math.Min(PieceLength, count - start));
            });
        }
    }
}
