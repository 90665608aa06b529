using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>Values t = bit (Start + t) of Words for t &lt; Count, 0 outside [0, BitLength) and beyond Count.</summary>
    internal sealed record BitSource(ulong[] Words, long BitLength, long Start, int Count);

    /// <summary>
    /// A row the row pass reads next, pulled into L2 one cache line per loop iteration of the radix-4 kernels that get
    /// this cursor, so its DRAM reads overlap the arithmetic on the current row instead of stalling the first step
    /// that reads it (that step: ~23 against ~26 ms CPU per 2^24-bit hash without; the column passes gained nothing
    /// from the same, so they do not prefetch).
    /// </summary>
    internal unsafe struct PrefetchCursor
    {
        private byte* _next, _end;

        public static PrefetchCursor For(void* start, int bytes) => new() { _next = (byte*)start, _end = (byte*)start + bytes };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step()
        {
            if (_next >= _end) return;
            Sse.Prefetch1(_next);
            _next += 64;
        }
    }

    /// <summary>
    /// AVX2 kernels of <see cref="Ntt"/>, 8 lanes of uint. The array is seen as R = 2^T rows of B = 2^b
    /// values (B fits in L2): the first T stages pair whole rows, so they run on groups of 16-64 columns (<see cref="ColumnWidth"/>)
    /// copied to a small scratch (one pass over memory; strided in-place access would thrash the cache,
    /// the stride being a power of two); the last b stages stay inside one row (a second pass). Column
    /// groups and rows are independent, so both phases split across cores. Same butterflies, same
    /// results as the scalar loops (the fused row pass keeps its forward output in a permuted lane order, see
    /// NttAvx2.RegisterStages.cs).
    /// </summary>
    internal static unsafe partial class NttAvx2
    {
        private const int RowLog = 14;          // 64 KiB rows
        private const int ColumnScratchBytes = 256 << 10;

        /// <summary>
        /// Columns per group of the column passes: as wide as a scratch of <see cref="ColumnScratchBytes"/> (in L2)
        /// allows, 16 to 64 (one to four cache lines per row). Every row of a group is a separate stretch of
        /// memory 64 KiB from the next: 256-byte stretches cost ~30 % less CPU than 64-byte ones at 2^24 points
        /// (fewer DRAM page openings per byte), wider gained nothing more.
        /// </summary>
        internal static int ColumnWidth(int rows) => Math.Clamp(ColumnScratchBytes / sizeof(uint) / rows, 16, 64);

        [ThreadStatic] private static uint[]? _scratch;

        /// <summary>True when <see cref="Forward"/> can read its input straight from packed bits.</summary>
        public static bool ReadsBits(int log) => log > RowLog;

        /// <param name="bits">When set (and <see cref="ReadsBits"/>), the input values are these bits, expanded while
        /// the column groups are copied in: the unpacked array is never written or read.</param>
        /// <param name="width">Columns per group of the column pass (0: <see cref="ColumnWidth"/>; tests try the others).</param>
        public static void Forward(uint[] data, int log, uint[] z, bool parallel, BitSource? bits = null, int width = 0)
        {
            int rowLog = Math.Min(log, RowLog), rows = 1 << (log - rowLog);
            if (bits != null && rows == 1) throw new InvalidOperationException("Bit input needs more than one row.");
            if (width == 0) width = ColumnWidth(rows);
            if (rows > 1) ForEach((1 << rowLog) / width, parallel, g => { fixed (uint* d = data) ColumnsForward(d, log, rowLog, g, z, bits, nonTemporal: false, width); });
            ForEach(rows, parallel && rows > 1, r => { fixed (uint* d = data) RowForward(d, log, rowLog, r, z); });
        }

        public static void Inverse(uint[] data, int log, uint[] zInverse, bool parallel, int width = 0)
        {
            int rowLog = Math.Min(log, RowLog), rows = 1 << (log - rowLog);
            if (width == 0) width = ColumnWidth(rows);
            ForEach(rows, parallel && rows > 1, r => { fixed (uint* d = data) RowInverse(d, log, rowLog, r, zInverse); });
            if (rows > 1) ForEach((1 << rowLog) / width, parallel, g => { fixed (uint* d = data) ColumnsInverse(d, log, rowLog, g, zInverse, width); });
        }

        /// <summary>Chunks per core in <see cref="ForEach"/>: small enough that a core which starts late still gets work,
        /// and that the cores finish a pass close together (at 2^24 points 8 per core left chunks of 64 rows, ~10 ms of
        /// the row pass: one core idled up to that long at its end; 32 per core: ~2.5 ms).</summary>
        internal const int ChunksPerWorker = 32;

        /// <summary>Runs body(0 .. count-1) on up to all cores (or inline): <see cref="WorkSharing.ForEach"/>.</summary>
        /// Each worker wipes the per-thread scratch it used when the pass ends: it held transformed rows or columns
        /// of the key.
        internal static void ForEach(int count, bool parallel, Action<int> body) =>
            WorkSharing.ForEach(count, parallel, ChunksPerWorker, body, WipeThreadScratch);

        /// <summary>Leading values of this thread's column / row scratch used since the last <see cref="WipeThreadScratch"/>.</summary>
        [ThreadStatic] private static int _scratchUsed, _rowScratchUsed;

        private static uint[] Scratch(int length)
        {
            uint[]? s = _scratch;
            if (s == null || s.Length < length) _scratch = s = GC.AllocateUninitializedArray<uint>(length, pinned: true);
            _scratchUsed = Math.Max(_scratchUsed, length);
            return s;
        }

        /// <summary>Clears what a pass used of this thread's column and row scratch (only that: after one large
        /// hash the arrays stay large, and small hashes should not pay for clearing them whole).</summary>
        internal static void WipeThreadScratch()
        {
            if (_scratchUsed > 0) Array.Clear(_scratch!, 0, _scratchUsed);
            if (_rowScratchUsed > 0) Array.Clear(_rowScratch!, 0, _rowScratchUsed);
            _scratchUsed = _rowScratchUsed = 0;
        }

        /// <summary>This thread's scratch arrays, for the wipe test.</summary>
        internal static (uint[]? Columns, uint[]? Rows) ThreadScratchForTest => (_scratch, _rowScratch);

        // ---------- the fused convolution (ToeplitzNtt.HashFused): passes over several transforms ----------

        /// <summary>Rows of 2^RowLog values in a transform of 2^log points (more than one: the fused path needs it).</summary>
        public static int Rows(int log) => 1 << (log - Math.Min(log, RowLog));

        /// <summary>Column groups of the first pass (<see cref="ColumnWidth"/> columns each).</summary>
        public static int ColumnGroups(int log) => (1 << Math.Min(log, RowLog)) / ColumnWidth(Rows(log));

        /// <summary>First forward pass (global stages 0 .. T-1) of one column group, input from packed bits;
        /// with <paramref name="nonTemporal"/>, streaming stores, so data must then be 32-byte aligned.</summary>
        public static void ForwardColumns(uint* data, int log, int group, uint[] z, BitSource bits, bool nonTemporal) =>
            ColumnsForward(data, log, Math.Min(log, RowLog), group, z, bits, nonTemporal, ColumnWidth(Rows(log)));

        /// <summary>Last inverse pass of one column group, values [from, to) only (the rest of the buffer is left as it was).</summary>
        public static void InverseColumns(uint* data, int log, int group, uint[] zInverse, long from, long to) =>
            ColumnsInverse(data, log, Math.Min(log, RowLog), group, zInverse, ColumnWidth(Rows(log)), from, to);

        /// <summary>
        /// Row <paramref name="row"/> of a whole convolution, in L2: the forward row stages of the buffers'
        /// rows (into a per-thread scratch, so transformed rows are never written back), per output o the sum
        /// of pointwise products of the pairs products[o] = (a0, b0, a1, b1, ..) of buffer indices (b: the
        /// seed windows), the inverse row stages, and the result stored into row <paramref name="row"/> of
        /// buffers[o] (every input of this row has been read by then). <paramref name="streaming"/> (every a is
        /// used once, <see cref="EachFirstFactorOnce"/>): window by window: its row once, then each a that meets it streams through one more scratch row (2 + outputs
        /// rows in L2); otherwise every buffer's row is transformed first. Values out: &lt; 2p.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ConvolveRow(NttBuffer[] buffers, int log, int row, uint[] z, uint[] zInverse, int[][] products, bool streaming, bool nonTemporal)
        {
            int rowLog = Math.Min(log, RowLog), size = 1 << rowLog, outputs = products.Length;
            int slots = streaming ? 2 : buffers.Length;
            uint[] scratch = RowScratch((slots + outputs) * size);
            long forwardQuotients = NttTwiddles.QuotientOffset(z), inverseQuotients = NttTwiddles.QuotientOffset(zInverse);
            fixed (uint* s = scratch, zp = z, zi = zInverse)
            {
                uint* sums = s + (long)slots * size;
                // The buffer rows in the order they are read; while one is transformed the next is prefetched
                // (the last one's transform and the inverse prefetch the first row of row + 1).
                int pairCount = 0;
                foreach (int[] pairs in products) pairCount += pairs.Length / 2;
                Span<int> order = stackalloc int[buffers.Length + pairCount];
                int reads = ReadOrder(products, buffers.Length, streaming, order), read = 0, rowCount = Rows(log);
                PrefetchCursor cursor = default;
                PrefetchCursor* prefetch = &cursor;
                if (streaming)
                {
                    Span<bool> started = stackalloc bool[outputs];
                    for (int window = 0; window < buffers.Length; window++)
                    {
                        bool loaded = false;
                        for (int o = 0; o < outputs; o++)
                        {
                            int[] pairs = products[o];
                            for (int j = 0; j < pairs.Length; j += 2)
                            {
                                if (pairs[j + 1] != window) continue;
                                if (!loaded) { cursor = NextRead(buffers, order[..reads], ++read, row, rowCount, size); LoadRow(buffers[window], row, size, s, zp, forwardQuotients, prefetch); loaded = true; }
                                cursor = NextRead(buffers, order[..reads], ++read, row, rowCount, size);
                                LoadRow(buffers[pairs[j]], row, size, s + size, zp, forwardQuotients, prefetch);
                                MultiplyAccumulate(sums + (long)o * size, s + size, s, size, started[o]);
                                started[o] = true;
                            }
                        }
                    }
                }
                else
                {
                    for (int t = 0; t < buffers.Length; t++) { cursor = NextRead(buffers, order[..reads], ++read, row, rowCount, size); LoadRow(buffers[t], row, size, s + (long)t * size, zp, forwardQuotients, prefetch); }
                    for (int o = 0; o < outputs; o++)
                    {
                        int[] pairs = products[o];
                        for (int j = 0; j < pairs.Length; j += 2)
                            MultiplyAccumulate(sums + (long)o * size, s + (long)pairs[j] * size, s + (long)pairs[j + 1] * size, size, started: j > 0);
                    }
                }
                for (int o = 0; o < outputs; o++)
                {
                    uint* sum = sums + (long)o * size;
                    RegisterStagesInverse(sum, size, zi, inverseQuotients, row);
                    StagesInverse(sum, size, RegisterBlock, zi, inverseQuotients, row, prefetch: prefetch);
                    uint* target = buffers[o].Pointer + (long)row * size;
                    if (nonTemporal) for (int i = 0; i < size; i += 8) Avx.StoreAlignedNonTemporal(target + i, Avx.LoadVector256(sum + i));
                    else Buffer.MemoryCopy(sum, target, (long)size * 4, (long)size * 4);
                }
                Sse.StoreFence();
            }
        }

        /// <summary>Buffer indices in the order <see cref="ConvolveRow"/> reads their rows; returns how many.</summary>
        private static int ReadOrder(int[][] products, int buffers, bool streaming, Span<int> order)
        {
            int count = 0;
            if (!streaming)
            {
                for (int t = 0; t < buffers; t++) order[count++] = t;
                return count;
            }
            for (int window = 0; window < buffers; window++)
            {
                bool loaded = false;
                foreach (int[] pairs in products)
                    for (int j = 0; j < pairs.Length; j += 2)
                    {
                        if (pairs[j + 1] != window) continue;
                        if (!loaded) { order[count++] = window; loaded = true; }
                        order[count++] = pairs[j];
                    }
            }
            return count;
        }

        /// <summary>Prefetch of the row read after read number <paramref name="read"/> - 1 (the next row's first read after the last).</summary>
        private static PrefetchCursor NextRead(NttBuffer[] buffers, ReadOnlySpan<int> order, int read, int row, int rows, int size)
        {
            if (read < order.Length) return PrefetchCursor.For(buffers[order[read]].Pointer + (long)row * size, size * sizeof(uint));
            return row + 1 < rows ? PrefetchCursor.For(buffers[order[0]].Pointer + (long)(row + 1) * size, size * sizeof(uint)) : default;
        }

        /// <summary>True when no buffer appears twice as a first factor (then no row is transformed twice when streaming).</summary>
        public static bool EachFirstFactorOnce(int[][] products)
        {
            var seen = new HashSet<int>();
            foreach (int[] pairs in products)
                for (int j = 0; j < pairs.Length; j += 2)
                    if (!seen.Add(pairs[j])) return false;
            return true;
        }

        /// <summary>Row <paramref name="row"/> of a buffer through the forward row stages, into the slot (the buffer is only read).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void LoadRow(NttBuffer buffer, int row, int size, uint* slot, uint* z, long quotients, PrefetchCursor* prefetch)
        {
            // The first radix-4 step reads the buffer and writes the slot (no separate copy of the row), then
            // each quarter runs its remaining stages: quarter j is global block 4 row + j after that step.
            FirstStepOutOfPlace(buffer.Pointer + (long)row * size, slot, size, z, quotients, row);
            int quarter = size / 4;
            for (int j = 0; j < 4; j++) StagesForward(slot + (long)j * quarter, quarter, RegisterBlock, z, quotients, 4 * row + j, prefetch);
            RegisterStagesForward(slot, size, z, quotients, row);
        }

        /// <summary>Forward stages with half-sizes size/2 and size/4 on block <paramref name="origin"/>, from source into target.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void FirstStepOutOfPlace(uint* source, uint* target, int size, uint* z, long quotients, int origin)
        {
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            int quarter = size / 4, half = size / 2;
            Vector256<uint> w1 = Vector256.Create(z[origin]), w2 = Vector256.Create(z[2L * origin]), w3 = Vector256.Create(z[2L * origin + 1]);
            Vector256<uint> s1 = Vector256.Create(z[quotients + origin]), s2 = Vector256.Create(z[quotients + 2L * origin]), s3 = Vector256.Create(z[quotients + 2L * origin + 1]);
            for (int i = 0; i < quarter; i += 8)
            {
                Vector256<uint> x0 = Avx.LoadVector256(source + i), x1 = Avx.LoadVector256(source + i + quarter);
                Vector256<uint> x2 = Avx.LoadVector256(source + i + half), x3 = Avx.LoadVector256(source + i + half + quarter);
                ForwardButterfly(ref x0, ref x2, w1, s1, s1, p, twoP);
                ForwardButterfly(ref x1, ref x3, w1, s1, s1, p, twoP);
                ForwardButterfly(ref x0, ref x1, w2, s2, s2, p, twoP);
                ForwardButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                Avx.Store(target + i, x0); Avx.Store(target + i + quarter, x1);
                Avx.Store(target + i + half, x2); Avx.Store(target + i + half + quarter, x3);
            }
        }

        [ThreadStatic] private static uint[]? _rowScratch;

        private static uint[] RowScratch(int length)
        {
            uint[]? s = _rowScratch;
            if (s == null || s.Length < length) _rowScratch = s = GC.AllocateUninitializedArray<uint>(length, pinned: true);
            _rowScratchUsed = Math.Max(_rowScratchUsed, length);
            return s;
        }

        /// <summary>sum = (started ? sum : 0) + a b R^-1 mod p, in [0, p). a &lt; 4p, b &lt; 4p, sum &lt; p; count % 8 == 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void MultiplyAccumulate(uint* sum, uint* a, uint* b, int count, bool started)
        {
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            for (int i = 0; i < count; i += 8)
            {
                Vector256<uint> y = Avx.LoadVector256(b + i);
                y = Vector256.Min(y, y - twoP); // < 2p is enough for MontMul (a < 4p: a y < 8p^2 < 2^32 p)
                Vector256<uint> product = MontMul(Avx.LoadVector256(a + i), y, Avx2.ShiftRightLogical(y.AsUInt64(), 32).AsUInt32());
                product = Vector256.Min(product, product - p);
                if (started)
                {
                    product += Avx.LoadVector256(sum + i);
                    product = Vector256.Min(product, product - p);
                }
                Avx.Store(sum + i, product);
            }
        }

        // ---------- columns: global stages 0 .. T-1 on rows, ColumnWidth columns at a time ----------

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ColumnsForward(uint* d, int log, int rowLog, int group, uint[] z, BitSource? bits, bool nonTemporal, int width)
        {
            int rows = 1 << (log - rowLog), stride = 1 << rowLog;
            uint[] scratch = Scratch(rows * width);
            fixed (uint* s = scratch, zp = z)
            {
                uint* column = d + group * width;
                long quotients = NttTwiddles.QuotientOffset(z);
                if (bits != null && rows >= 4 && LowerHalfOnly(bits, rows, stride, width, group))
                {
                    // The upper half of the rows is zero (a zero-padded input block): stage 0 would only copy
                    // the lower half up, so the first radix-4 step reads half the rows and the rest starts per quarter.
                    ExpandColumn(bits, rows / 2, stride, width, group, s);
                    int size = rows * width, quarter = size / 4;
                    FirstStepUpperHalfZero(s, size, zp, quotients);
                    for (int j = 0; j < 4; j++) StagesForward(s + (long)j * quarter, quarter, 2 * width, zp, quotients, j);
                }
                else
                {
                    if (bits == null) CopyColumnIn(column, s, rows, stride, width);
                    else ExpandColumn(bits, rows, stride, width, group, s);
                    StagesForward(s, rows * width, 2 * width, zp, quotients, 0);
                }
                if (nonTemporal) CopyColumnOutNonTemporal(s, column, rows, stride, width);
                else CopyColumnOut(s, column, rows, stride, width);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ColumnsInverse(uint* d, int log, int rowLog, int group, uint[] zInverse, int width, long from = 0, long to = long.MaxValue)
        {
            int rows = 1 << (log - rowLog), stride = 1 << rowLog;
            // Rows of this group holding a value in [from, to): row r holds indices r stride + group width + [0, width).
            long first = from - (long)group * width - width + 1, last = to - 1 - (long)group * width;
            int firstRow = first <= 0 ? 0 : (int)Math.Min(rows, (first + stride - 1) / stride);
            int lastRow = last < 0 ? -1 : (int)Math.Min(rows - 1, last / stride);
            if (firstRow > lastRow) return;
            uint[] scratch = Scratch(rows * width);
            fixed (uint* s = scratch, zp = zInverse)
            {
                uint* column = d + group * width;
                CopyColumnIn(column, s, rows, stride, width);
                StagesInverse(s, rows * width, 2 * width, zp, NttTwiddles.QuotientOffset(zInverse), 0, upperHalfOnly: rows >= 4 && firstRow >= rows / 2);
                CopyColumnOut(s + (long)firstRow * width, column + (long)firstRow * stride, lastRow - firstRow + 1, stride, width);
            }
        }

        /// <summary>True when every value of the upper half of the rows of this column group is zero (its first index is at or past the bit count).</summary>
        private static bool LowerHalfOnly(BitSource bits, int rows, int stride, int width, int group) =>
            (long)(rows / 2) * stride + (long)group * width >= bits.Count;

        /// <summary>Global stages 0 and 1 (block 0) on values whose upper half is zero: stage 0 makes the upper
        /// half a copy of the lower, so quarters 0, 1 are x0 +- x1 and quarters 2, 3 are x0 +- Z[1] x1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void FirstStepUpperHalfZero(uint* a, int size, uint* z, long quotients)
        {
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            Vector256<uint> w3 = Vector256.Create(z[1]), s3 = Vector256.Create(z[quotients + 1]);
            int quarter = size / 4, half = size / 2;
            for (uint* q0 = a, end = a + quarter; q0 < end; q0 += 8)
            {
                Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q0 + quarter);
                Vector256<uint> x2 = x0, x3 = x1;
                ForwardButterflyOne(ref x0, ref x1, twoP);
                ForwardButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                Avx.Store(q0, x0); Avx.Store(q0 + quarter, x1); Avx.Store(q0 + half, x2); Avx.Store(q0 + half + quarter, x3);
            }
        }

        /// <summary>The 64 bits of row <paramref name="row"/> of a 64-column group (zero past the source's count).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong RowBits(BitSource bits, int row, int stride, int group)
        {
            long t = (long)row * stride + group * 64L;
            ulong value = t >= bits.Count ? 0 : NttBits.Window(bits.Words, bits.BitLength, bits.Start + t);
            if (bits.Count - t < 64) value &= (1UL << (int)Math.Max(0, bits.Count - t)) - 1;
            return value;
        }

        /// <summary>The bits of rows 0 .. rows-1 of a column group, one value per bit: 64 columns from one 64-bit
        /// window per row; narrower groups 16 bits at a time (an unaligned 8-byte read where the 16 bits lie
        /// inside the source, the careful path at its edges).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ExpandColumn(BitSource bits, int rows, int stride, int width, int group, uint* s)
        {
            if (width == 64)
            {
                for (int r = 0; r < rows; r++) NttBits.Expand64(RowBits(bits, r, stride, group), s + r * 64);
                return;
            }
            long byteLength = (long)bits.Words.Length * sizeof(ulong);
            fixed (ulong* words = bits.Words)
            {
                byte* bytes = (byte*)words;
                for (int r = 0; r < rows; r++)
                    for (int h = 0; h < width; h += 16)
                    {
                        long t = (long)r * stride + group * width + h, position = bits.Start + t;
                        uint value = t + 16 <= bits.Count && position >= 0 && position + 16 <= bits.BitLength && (position >> 3) + 8 <= byteLength
                            ? (uint)(Unsafe.ReadUnaligned<ulong>(bytes + (position >> 3)) >> (int)(position & 7)) & 0xFFFF
                            : NttBits.Bits16(bits.Words, bits.BitLength, bits.Start, bits.Count, t);
                        NttBits.Expand16(value, s + r * width + h);
                    }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CopyColumnIn(uint* column, uint* s, int rows, int stride, int width)
        {
            for (int r = 0; r < rows; r++, column += stride, s += width)
            {
                for (int h = 0; h < width; h += 8) Avx.Store(s + h, Avx.LoadVector256(column + h));
            }
        }

        /// <summary>Streaming stores (no read for ownership, no cache pollution): column must be 32-byte aligned.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CopyColumnOutNonTemporal(uint* s, uint* column, int rows, int stride, int width)
        {
            for (int r = 0; r < rows; r++, column += stride, s += width)
            {
                for (int h = 0; h < width; h += 8) Avx.StoreAlignedNonTemporal(column + h, Avx.LoadVector256(s + h));
            }
            Sse.StoreFence(); // streaming stores are weakly ordered: visible before another core reads them
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void CopyColumnOut(uint* s, uint* column, int rows, int stride, int width)
        {
            for (int r = 0; r < rows; r++, column += stride, s += width)
            {
                for (int h = 0; h < width; h += 8) Avx.Store(column + h, Avx.LoadVector256(s + h));
            }
        }

        // ---------- rows: global stages T .. log-1 inside row r (its blocks are k = r * blocksPerRow + j) ----------

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowForward(uint* d, int log, int rowLog, int row, uint[] z)
        {
            int size = 1 << rowLog;
            fixed (uint* zp = z)
            {
                uint* a = d + (long)row * size;
                StagesForward(a, size, SmallBlock, zp, NttTwiddles.QuotientOffset(z), row);
                SmallStagesForward(a, size, zp, NttTwiddles.QuotientOffset(z), row);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowInverse(uint* d, int log, int rowLog, int row, uint[] zInverse)
        {
            int size = 1 << rowLog;
            fixed (uint* zp = zInverse)
            {
                uint* a = d + (long)row * size;
                SmallStagesInverse(a, size, zp, NttTwiddles.QuotientOffset(zInverse), row);
                StagesInverse(a, size, SmallBlock, zp, NttTwiddles.QuotientOffset(zInverse), row);
            }
        }


        // ---------- stages with one broadcast twiddle per block, two at a time (radix 4) ----------

        /// <summary>
        /// Forward stages on a[0, size) with block sizes size, size/2, .. minBlock (&gt;= 16 values). a is
        /// block <paramref name="origin"/> of the whole transform at its first stage here, so a stage with
        /// b local blocks uses twiddles z[origin b + j].
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void StagesForward(uint* a, int size, int minBlock, uint* z, long quotients, int origin, PrefetchCursor* prefetch = null)
        {
            PrefetchCursor cursor = prefetch != null ? *prefetch : default;
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            int blocks = 1, half = size / 2;
            Vector256<uint> fourP = Vector256.Create(2 * NttField.TwoP);
            for (bool first = true; half >= minBlock; half /= 4, blocks *= 4, first = false)
            {
                // Stage (half) with block k, then stage (half / 2) with blocks 2k and 2k + 1. Lazy reduction between
                // the steps of this call (8p < 2^32): a step followed by another leaves values < 8p (its first level
                // reduces each sum operand below 4p, or not at all on inputs < 4p; its second level not at all); the
                // last step reduces below 2p as usual, so the call still takes and returns values < 4p.
                bool lazyIn = !first, lazyOut = half / 4 >= minBlock;
                int quarter = half / 2;
                uint* z1 = z + (long)origin * blocks, z2 = z + (long)origin * 2 * blocks;
                int k = 0;
                if (origin == 0)
                {
                    // Global block 0: Z[0] = 1 in both stages, so three of the four butterflies need no product.
                    Vector256<uint> w3 = Vector256.Create(z2[1]), s3 = Vector256.Create(z2[quotients + 1]);
                    for (uint* q0 = a, end = a + quarter; q0 < end; q0 += 8)
                    {
                        cursor.Step();
                        uint* q1 = q0 + quarter, q2 = q0 + half, q3 = q2 + quarter;
                        Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q1), x2 = Avx.LoadVector256(q2), x3 = Avx.LoadVector256(q3);
                        if (lazyIn)
                        {
                            x0 = Vector256.Min(x0, x0 - fourP); x1 = Vector256.Min(x1, x1 - fourP);
                            x2 = Vector256.Min(x2, x2 - fourP); x3 = Vector256.Min(x3, x3 - fourP);
                        }
                        ForwardButterflyOne(ref x0, ref x2, twoP);
                        ForwardButterflyOne(ref x1, ref x3, twoP);
                        ForwardButterflyOne(ref x0, ref x1, twoP);
                        ForwardButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                        Avx.Store(q0, x0); Avx.Store(q1, x1); Avx.Store(q2, x2); Avx.Store(q3, x3);
                    }
                    k = 1;
                }
                for (; k < blocks; k++)
                {
                    Vector256<uint> w1 = Vector256.Create(z1[k]), w2 = Vector256.Create(z2[2 * k]), w3 = Vector256.Create(z2[2 * k + 1]);
                    Vector256<uint> s1 = Vector256.Create(z1[quotients + k]), s2 = Vector256.Create(z2[quotients + 2 * k]), s3 = Vector256.Create(z2[quotients + 2 * k + 1]);
                    uint* q0 = a + (long)k * 2 * half, end = q0 + quarter;
                    if (lazyOut && !lazyIn)
                        for (; q0 < end; q0 += 8) { cursor.Step(); Radix4Forward(q0, quarter, half, w1, s1, w2, s2, w3, s3, p, twoP, fourP, lazyIn: false, lazyOut: true); }
                    else if (lazyOut)
                        for (; q0 < end; q0 += 8) { cursor.Step(); Radix4Forward(q0, quarter, half, w1, s1, w2, s2, w3, s3, p, twoP, fourP, lazyIn: true, lazyOut: true); }
                    else if (lazyIn)
                        for (; q0 < end; q0 += 8) { cursor.Step(); Radix4Forward(q0, quarter, half, w1, s1, w2, s2, w3, s3, p, twoP, fourP, lazyIn: true, lazyOut: false); }
                    else
                        for (; q0 < end; q0 += 8) { cursor.Step(); Radix4Forward(q0, quarter, half, w1, s1, w2, s2, w3, s3, p, twoP, fourP, lazyIn: false, lazyOut: false); }
                }
            }
            if (2 * half >= minBlock) Radix2(a, half, blocks, z + (long)origin * blocks, quotients, inverse: false);
            if (prefetch != null) *prefetch = cursor;
        }

        /// <summary>
        /// One radix-4 step of <see cref="StagesForward"/> at q0 (values q0, q0 + quarter, q0 + half, q0 + half + quarter).
        /// Inputs &lt; 8p with <paramref name="lazyIn"/>, else &lt; 4p; outputs &lt; 8p with <paramref name="lazyOut"/>, else &lt; 4p.
        /// A butterfly (a, y) -> (a + t, a - t + 2p), t = w y mod p &lt; 2p, stays below 2^32 while a &lt; 6p: lazily the
        /// first level takes a &lt; 4p (no reduction of inputs &lt; 4p, one of 4p from &lt; 8p), giving &lt; 6p, and the second
        /// takes those as they are, giving &lt; 8p. Called with constant flags, so each loop gets its own code.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Radix4Forward(uint* q0, int quarter, int half, Vector256<uint> w1, Vector256<uint> s1, Vector256<uint> w2, Vector256<uint> s2,
            Vector256<uint> w3, Vector256<uint> s3, Vector256<uint> p, Vector256<uint> twoP, Vector256<uint> fourP, bool lazyIn, bool lazyOut)
        {
            uint* q1 = q0 + quarter, q2 = q0 + half, q3 = q2 + quarter;
            Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q1), x2 = Avx.LoadVector256(q2), x3 = Avx.LoadVector256(q3);
            if (lazyIn)
            {
                x0 = Vector256.Min(x0, x0 - fourP);
                x1 = Vector256.Min(x1, x1 - fourP);
            }
            if (lazyOut)
            {
                LazyButterfly(ref x0, ref x2, w1, s1, p, twoP);
                LazyButterfly(ref x1, ref x3, w1, s1, p, twoP);
                LazyButterfly(ref x0, ref x1, w2, s2, p, twoP);
                LazyButterfly(ref x2, ref x3, w3, s3, p, twoP);
            }
            else
            {
                ForwardButterfly(ref x0, ref x2, w1, s1, s1, p, twoP);
                ForwardButterfly(ref x1, ref x3, w1, s1, s1, p, twoP);
                ForwardButterfly(ref x0, ref x1, w2, s2, s2, p, twoP);
                ForwardButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
            }
            Avx.Store(q0, x0); Avx.Store(q1, x1); Avx.Store(q2, x2); Avx.Store(q3, x3);
        }

        /// <summary>x &lt; 6p, any y -> (x + w y, x - w y + 2p), both &lt; 8p: no reduction of x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void LazyButterfly(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> t = ShoupMul(y, w, wq, wq, p);
            y = x - t + twoP;
            x += t;
        }

        /// <summary>Undoes <see cref="StagesForward"/> (same block structure, inverse twiddles). With <paramref name="upperHalfOnly"/>
        /// (origin 0, at least two stages) the last stage computes only the upper half of a (the lower half is left undefined).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void StagesInverse(uint* a, int size, int minBlock, uint* z, long quotients, int origin, bool upperHalfOnly = false, PrefetchCursor* prefetch = null)
        {
            if (size < minBlock) return;
            PrefetchCursor cursor = prefetch != null ? *prefetch : default;
            int stages = BitOperations.Log2((uint)(size / minBlock)) + 1, blocks = size / minBlock;
            if (stages % 2 == 1)
            {
                Radix2(a, minBlock / 2, blocks, z + (long)origin * blocks, quotients, inverse: true);
                blocks /= 2;
                stages--;
            }
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            for (; stages > 0; stages -= 2, blocks /= 4)
            {
                int outer = blocks / 2, quarter = size / (4 * outer), half = 2 * quarter;
                uint* z1 = z + (long)origin * outer, z2 = z + (long)origin * blocks;
                int k = 0;
                if (origin == 0 && outer == 1 && upperHalfOnly)
                {
                    // Last two stages of the whole transform, only outputs 2 and 3 (x0 - x2, x1 - x3) wanted.
                    Vector256<uint> w3 = Vector256.Create(z2[1]), s3 = Vector256.Create(z2[quotients + 1]);
                    for (uint* q0 = a, end = a + quarter; q0 < end; q0 += 8)
                    {
                        uint* q1 = q0 + quarter, q2 = q0 + half, q3 = q2 + quarter;
                        Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q1), x2 = Avx.LoadVector256(q2), x3 = Avx.LoadVector256(q3);
                        InverseButterflyOne(ref x0, ref x1, twoP);
                        InverseButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                        Vector256<uint> d2 = x0 - x2 + twoP, d3 = x1 - x3 + twoP;
                        Avx.Store(q2, Vector256.Min(d2, d2 - twoP));
                        Avx.Store(q3, Vector256.Min(d3, d3 - twoP));
                    }
                    continue;
                }
                if (origin == 0)
                {
                    // Global block 0: Z[0] = 1 in both stages (see StagesForward).
                    Vector256<uint> w3 = Vector256.Create(z2[1]), s3 = Vector256.Create(z2[quotients + 1]);
                    for (uint* q0 = a, end = a + quarter; q0 < end; q0 += 8)
                    {
                        cursor.Step();
                        uint* q1 = q0 + quarter, q2 = q0 + half, q3 = q2 + quarter;
                        Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q1), x2 = Avx.LoadVector256(q2), x3 = Avx.LoadVector256(q3);
                        InverseButterflyOne(ref x0, ref x1, twoP);
                        InverseButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                        InverseButterflyOne(ref x0, ref x2, twoP);
                        InverseButterflyOne(ref x1, ref x3, twoP);
                        Avx.Store(q0, x0); Avx.Store(q1, x1); Avx.Store(q2, x2); Avx.Store(q3, x3);
                    }
                    k = 1;
                }
                for (; k < outer; k++)
                {
                    Vector256<uint> w1 = Vector256.Create(z1[k]), w2 = Vector256.Create(z2[2 * k]), w3 = Vector256.Create(z2[2 * k + 1]);
                    Vector256<uint> s1 = Vector256.Create(z1[quotients + k]), s2 = Vector256.Create(z2[quotients + 2 * k]), s3 = Vector256.Create(z2[quotients + 2 * k + 1]);
                    uint* q0 = a + (long)k * 2 * half, end = q0 + quarter;
                    for (; q0 < end; q0 += 8)
                    {
                        cursor.Step();
                        uint* q1 = q0 + quarter, q2 = q0 + half, q3 = q2 + quarter;
                        Vector256<uint> x0 = Avx.LoadVector256(q0), x1 = Avx.LoadVector256(q1), x2 = Avx.LoadVector256(q2), x3 = Avx.LoadVector256(q3);
                        InverseButterfly(ref x0, ref x1, w2, s2, s2, p, twoP);
                        InverseButterfly(ref x2, ref x3, w3, s3, s3, p, twoP);
                        InverseButterfly(ref x0, ref x2, w1, s1, s1, p, twoP);
                        InverseButterfly(ref x1, ref x3, w1, s1, s1, p, twoP);
                        Avx.Store(q0, x0); Avx.Store(q1, x1); Avx.Store(q2, x2); Avx.Store(q3, x3);
                    }
                }
            }
            if (prefetch != null) *prefetch = cursor;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Radix2(uint* a, int half, int blocks, uint* z, long quotients, bool inverse)
        {
            for (int k = 0; k < blocks; k++)
            {
                Vector256<uint> w = Vector256.Create(z[k]), wq = Vector256.Create(z[quotients + k]);
                uint* top = a + (long)k * 2 * half, end = top + half, bottom = end;
                if (inverse) for (; top < end; top += 8, bottom += 8) InverseButterfly(top, bottom, w, wq, wq);
                else for (; top < end; top += 8, bottom += 8) ForwardButterfly(top, bottom, w, wq, wq);
            }
        }

        // ---------- arithmetic ----------

        /// <summary>a w R^-1 mod p per lane, in [0, 2p) for a &lt; 4p, w &lt; 2p ((a w + m p) / 2^32 &lt; (8p^2 + 2^32 p) / 2^32 &lt; 2p as 8p &lt; 2^32). wOdd = w shifted down 32 bits per 64-bit lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<uint> MontMul(Vector256<uint> a, Vector256<uint> w, Vector256<uint> wOdd)
        {
            Vector256<uint> p = Vector256.Create(NttField.P), pInv = Vector256.Create(NttField.NegativeInverse);
            Vector256<uint> aOdd = Avx2.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32();
            Vector256<ulong> even = Avx2.Multiply(a, w), odd = Avx2.Multiply(aOdd, wOdd);
            Vector256<ulong> mEven = Avx2.Multiply(even.AsUInt32(), pInv), mOdd = Avx2.Multiply(odd.AsUInt32(), pInv);
            even += Avx2.Multiply(mEven.AsUInt32(), p);
            odd += Avx2.Multiply(mOdd.AsUInt32(), p);
            return Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsUInt32(), odd.AsUInt32(), 0b1010_1010);
        }

        /// <summary>a w mod p per lane, in [0, 2p), for any a and w &lt; p (Shoup): wq = the quotients floor(w 2^32 / p),
        /// wqOdd = wq shifted down 32 bits per 64-bit lane (wq itself when broadcast).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<uint> ShoupMul(Vector256<uint> a, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd)
        {
            Vector256<ulong> even = Avx2.Multiply(a, wq), odd = Avx2.Multiply(Avx2.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), wqOdd);
            Vector256<uint> q = Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsUInt32(), odd.AsUInt32(), 0b1010_1010);
            return Avx2.MultiplyLow(a, w) - Avx2.MultiplyLow(q, Vector256.Create(NttField.P));
        }

        /// <summary>ShoupMul with the modulus vector passed in (kept in a register by the hot loops).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<uint> ShoupMul(Vector256<uint> a, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd, Vector256<uint> p)
        {
            Vector256<ulong> even = Avx2.Multiply(a, wq), odd = Avx2.Multiply(Avx2.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), wqOdd);
            Vector256<uint> q = Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsUInt32(), odd.AsUInt32(), 0b1010_1010);
            return Avx2.MultiplyLow(a, w) - Avx2.MultiplyLow(q, p);
        }

        /// <summary>As <see cref="ForwardButterfly(ref Vector256{uint}, ref Vector256{uint}, Vector256{uint}, Vector256{uint}, Vector256{uint})"/>, constants passed in.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardButterfly(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> a = Vector256.Min(x, x - twoP);
            Vector256<uint> t = ShoupMul(y, w, wq, wqOdd, p);
            x = a + t;
            y = a - t + twoP;
        }

        /// <summary>Twiddle 1: x, y &lt; 4p -> (x + y, x - y + 2p) after reducing both below 2p; both &lt; 4p.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardButterflyOne(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> twoP)
        {
            Vector256<uint> a = Vector256.Min(x, x - twoP), t = Vector256.Min(y, y - twoP);
            x = a + t;
            y = a - t + twoP;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseButterfly(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> sum = x + y;
            Vector256<uint> difference = x - y + twoP;
            x = Vector256.Min(sum, sum - twoP);
            y = ShoupMul(difference, w, wq, wqOdd, p);
        }

        /// <summary>Twiddle 1: x, y &lt; 2p -> (x + y, x - y + 2p), both reduced below 2p.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseButterflyOne(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> twoP)
        {
            Vector256<uint> sum = x + y;
            Vector256<uint> difference = x - y + twoP;
            x = Vector256.Min(sum, sum - twoP);
            y = Vector256.Min(difference, difference - twoP);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardButterfly(uint* top, uint* bottom, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd)
        {
            Vector256<uint> x = Avx.LoadVector256(top), y = Avx.LoadVector256(bottom);
            ForwardButterfly(ref x, ref y, w, wq, wqOdd);
            Avx.Store(top, x);
            Avx.Store(bottom, y);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseButterfly(uint* top, uint* bottom, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd)
        {
            Vector256<uint> x = Avx.LoadVector256(top), y = Avx.LoadVector256(bottom);
            InverseButterfly(ref x, ref y, w, wq, wqOdd);
            Avx.Store(top, x);
            Avx.Store(bottom, y);
        }

        /// <summary>x, y &lt; 4p -> (x + w y, x - w y + 2p), both &lt; 4p.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardButterfly(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd)
        {
            Vector256<uint> twoP = Vector256.Create(NttField.TwoP);
            Vector256<uint> a = Vector256.Min(x, x - twoP);
            Vector256<uint> t = ShoupMul(y, w, wq, wqOdd);
            x = a + t;
            y = a - t + twoP;
        }

        /// <summary>x, y &lt; 2p -> (x + y, (x - y + 2p) w), both &lt; 2p.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseButterfly(ref Vector256<uint> x, ref Vector256<uint> y, Vector256<uint> w, Vector256<uint> wq, Vector256<uint> wqOdd)
        {
            Vector256<uint> twoP = Vector256.Create(NttField.TwoP);
            Vector256<uint> sum = x + y;
            Vector256<uint> difference = x - y + twoP;
            x = Vector256.Min(sum, sum - twoP);
            y = ShoupMul(difference, w, wq, wqOdd);
        }
    }
}
