using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>How <see cref="ToeplitzNtt"/> orders its transforms and shares them between cores.</summary>
    public enum ToeplitzNttSchedule
    {
        /// <summary><see cref="ToeplitzNtt.ScheduleFor"/> decides.</summary>
        Auto,
        /// <summary>Three passes over memory for the whole hash, each split across the cores (where it does not apply: Tasks, or Split for the largest).</summary>
        Fused,
        /// <summary>Every forward transform as one single-core task, run in parallel.</summary>
        Tasks,
        /// <summary>One transform at a time, each pass split across the cores (least memory).</summary>
        Split,
    }

    /// <summary>How <see cref="ToeplitzNtt.HashPair"/> shares two hashes with one seed between the cores.</summary>
    public enum ToeplitzPairStrategy
    {
        /// <summary><see cref="ToeplitzNtt.PairStrategyFor"/> decides.</summary>
        Auto,
        /// <summary>One fused hash of both inputs, the seed transformed once, every pass split across the cores.</summary>
        Shared,
        /// <summary>Two single-core hashes at the same time, one per core (twice the buffers).</summary>
        Concurrent,
        /// <summary>One hash after the other, each with its own schedule.</summary>
        Sequential,
    }

    /// <summary>
    /// Toeplitz hash y = T x by number-theoretic transforms (see <see cref="ToeplitzNttPlan"/>): every bit
    /// becomes a value mod p, each output is an exact integer sum of at most n bit products (n &lt; p), and
    /// its parity is the GF(2) result. O(n log n). Work buffers come from the shared array pool.
    /// </summary>
    public static unsafe class ToeplitzNtt
    {
        /// <summary>
        /// Smaller transforms run on one core: below this, handing halves of each stage group to another
        /// core cost more than it saved (measured on the shared 2-core machine, see the README).
        /// </summary>
        public const int ParallelMinLength = 1 << 20;

        /// <summary>Above this much buffer memory the forward transforms run one at a time.</summary>
        public const long TaskModeBytes = 512L << 20;

        private static ToeplitzNttPlan? _lastPlan;

        /// <summary>Hash with the cheapest plan. Lengths are checked by <see cref="ToeplitzHash"/>.</summary>
        public static BitVector Hash(BitVector input, BitVector seed, int outputBits, bool vectorized = true, bool parallel = true) =>
            Hash(input, seed, outputBits, PlanFor(input.Length, outputBits), vectorized, parallel);

        /// <param name="schedule">How the transforms are ordered and split across cores (Auto: see <see cref="ScheduleFor"/>).</param>
        public static BitVector Hash(BitVector input, BitVector seed, int outputBits, ToeplitzNttPlan plan, bool vectorized = true, bool parallel = true,
            ToeplitzNttSchedule schedule = ToeplitzNttSchedule.Auto)
        {
            int n = input.Length, l = outputBits;
            if (plan.InputBits != n || plan.OutputBits != l) throw new ArgumentException("The plan is for other lengths.");
            if (seed.Length < (long)n + l - 1) throw new ArgumentException($"Toeplitz seed has {seed.Length} bits; n + l - 1 = {(long)n + l - 1} are needed.");
            int length = plan.Length, bn = plan.ColumnBlockBits, bl = plan.RowBlockBits;
            long seedBits = (long)n + l - 1;
            vectorized &= Avx2.IsSupported;
            if (schedule == ToeplitzNttSchedule.Auto) schedule = ScheduleFor(plan, vectorized);
            if (schedule == ToeplitzNttSchedule.Fused && FusedApplies(plan, vectorized)) return HashFused(new[] { input }, seed, outputBits, plan, parallel)[0];
            bool? tasks = schedule switch { ToeplitzNttSchedule.Tasks => true, ToeplitzNttSchedule.Split => false, _ => null };
            // Whole transforms as tasks pay one hand-off in all; splitting each pass pays one per pass, worth it from ParallelMinLength.
            bool taskParallel = parallel && Environment.ProcessorCount > 1 && (long)length * plan.Transforms >= FusedParallelMinPoints;
            parallel &= Environment.ProcessorCount > 1 && length >= ParallelMinLength;

            var pool = ArrayPool<uint>.Shared;
            var columns = new uint[plan.ColumnBlocks][];
            var sums = new uint[plan.RowBlocks][];
            int windowCount = plan.WindowOffsets.Length;
            // All forward transforms as independent single-core tasks when their buffers fit in TaskModeBytes
            // (no join per pass; measured a little faster at 2^24); otherwise one transform at a time, each
            // split across the cores, with a single window buffer (least memory, used at 2^27).
            bool taskMode = taskParallel && (tasks ?? (long)(plan.ColumnBlocks + windowCount) * length * sizeof(uint) <= TaskModeBytes);
            var windows = new uint[taskMode ? windowCount : 1][];
            try
            {
                for (int c = 0; c < columns.Length; c++) columns[c] = pool.Rent(length);
                for (int w = 0; w < windows.Length; w++) windows[w] = pool.Rent(length);
                void Column(int c, bool inner)
                {
                    int count = (int)Math.Min(bn, n - (long)c * bn);
                    Ntt.ForwardFromBits(columns[c], length, input.Words, n, (long)c * bn, count, vectorized, inner);
                }
                void Window(int w, uint[] buffer, bool inner)
                {
                    Ntt.ForwardFromBits(buffer, length, seed.Words, seedBits, plan.WindowOffsets[w], bl + bn - 1, vectorized, inner);
                }
                if (taskMode)
                    Parallel.For(0, plan.ColumnBlocks + windowCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                        t => { if (t < plan.ColumnBlocks) Column(t, false); else Window(t - plan.ColumnBlocks, windows[t - plan.ColumnBlocks], false); });
                else
                    for (int c = 0; c < plan.ColumnBlocks; c++) Column(c, parallel);

                // One row block: accumulate in place of column block 0 (its own product comes first).
                for (int q = 0; q < plan.RowBlocks; q++) sums[q] = plan.RowBlocks == 1 ? columns[0] : pool.Rent(length);

                var started = new bool[plan.RowBlocks];
                for (int w = 0; w < windowCount; w++)
                {
                    uint[] window = taskMode ? windows[w] : windows[0];
                    if (!taskMode) Window(w, window, parallel);
                    for (int q = 0; q < plan.RowBlocks; q++)
                        for (int c = 0; c < plan.ColumnBlocks; c++)
                        {
                            if (plan.WindowOf[q, c] != w) continue;
                            MultiplyAccumulate(sums[q], window, columns[c], length, started[q], vectorized, parallel);
                            started[q] = true;
                        }
                }

                var output = new BitVector(l);
                // The inverse leaves N / R times the sum (R from the Montgomery products): undo both.
                uint factor = NttField.ToMontgomery(NttField.ToMontgomery(NttField.Inverse((uint)length)));
                for (int q = 0; q < plan.RowBlocks; q++)
                {
                    Ntt.Inverse(sums[q], length, vectorized, parallel);
                    int count = (int)Math.Min(bl, l - (long)q * bl);
                    NttBits.Pack(sums[q], bn - 1, count, factor, output.Words, q * bl, vectorized, parallel);
                }
                return output;
            }
            finally
            {
                // Column blocks and sums derive from the key: cleared on return to the shared pool (windows: the public seed).
                foreach (uint[]? w in windows) if (w != null) pool.Return(w);
                foreach (uint[]? c in columns) if (c != null) pool.Return(c, clearArray: true);
                if (plan.RowBlocks > 1) foreach (uint[]? s in sums) if (s != null) pool.Return(s, clearArray: true);
            }
        }

        /// <summary>The fused schedule needs at most this much buffer memory ((k + windows) x 4N bytes).</summary>
        public const long FusedBytes = 1L << 30;

        /// <summary>Above this much buffer memory the fused passes write with streaming stores (the data will
        /// not be in cache when read again); below it, it stays in L3 (32 MiB on this machine), so normal stores.</summary>
        public const long StreamingBytes = 24L << 20;

        /// <summary>Fused work below this many transform points in all runs on one core.</summary>
        public const long FusedParallelMinPoints = 1 << 17;

        /// <summary>
        /// Auto's choice: Fused wherever it applies (up to <see cref="FusedBytes"/> of buffers): fewest passes over
        /// memory, every pass on both cores, and its buffers are kept between calls (no page faults or zeroing
        /// after the first call; measured as fast as Tasks at 10^6 bits). Otherwise whole-transform Tasks while
        /// their buffers fit in <see cref="TaskModeBytes"/>, else Split (least memory, e.g. 2^27 bits).
        /// </summary>
        public static ToeplitzNttSchedule ScheduleFor(ToeplitzNttPlan plan, bool vectorized = true)
        {
            if (FusedApplies(plan, vectorized)) return ToeplitzNttSchedule.Fused;
            long bytes = (long)(plan.ColumnBlocks + plan.WindowOffsets.Length) * plan.Length * sizeof(uint);
            return bytes <= TaskModeBytes ? ToeplitzNttSchedule.Tasks : ToeplitzNttSchedule.Split;
        }

        /// <summary>The fused kernels need AVX2, more than one row per transform and at most <see cref="FusedBytes"/> of
        /// buffers ((inputs k + windows) x 4N bytes), and as many buffers as sums (inputs r), since each sum is stored
        /// over a consumed buffer.</summary>
        public static bool FusedApplies(ToeplitzNttPlan plan, bool vectorized = true, int inputs = 1) =>
            vectorized && Avx2.IsSupported && NttAvx2.ReadsBits(BitOperations.Log2((uint)plan.Length))
            && inputs * plan.RowBlocks <= inputs * plan.ColumnBlocks + plan.WindowOffsets.Length
            && (long)(inputs * plan.ColumnBlocks + plan.WindowOffsets.Length) * plan.Length * sizeof(uint) <= FusedBytes;

        /// <summary>
        /// Hashes two inputs of the same length with one seed (Alice's and Bob's keys). Shared: one fused pass
        /// over both, the seed windows transformed once ((2k + windows + 2r) transforms instead of 2 (k + windows + r)),
        /// every pass split across the cores. Concurrent: two whole single-core hashes side by side (no join per
        /// pass; more transforms and buffers). Sequential: one hash after the other. Same results every way. Lengths
        /// are checked by <see cref="ToeplitzHash"/>.
        /// </summary>
        public static (BitVector First, BitVector Second) HashPair(BitVector first, BitVector second, BitVector seed, int outputBits, bool vectorized = true, bool parallel = true,
            ToeplitzPairStrategy strategy = ToeplitzPairStrategy.Auto)
        {
            if (first.Length != second.Length) throw new ArgumentException($"Both inputs need the same length (got {first.Length} and {second.Length}).");
            if (seed.Length < (long)first.Length + outputBits - 1)
                throw new ArgumentException($"Toeplitz seed has {seed.Length} bits; n + l - 1 = {(long)first.Length + outputBits - 1} are needed.");
            ToeplitzNttPlan plan = PlanFor(first.Length, outputBits);
            vectorized &= Avx2.IsSupported;
            if (strategy == ToeplitzPairStrategy.Auto) strategy = PairStrategyFor(plan, vectorized);
            if (strategy == ToeplitzPairStrategy.Shared && FusedApplies(plan, vectorized, inputs: 2))
            {
                BitVector[] both = HashFused(new[] { first, second }, seed, outputBits, plan, parallel);
                return (both[0], both[1]);
            }
            if (strategy == ToeplitzPairStrategy.Concurrent && parallel && Environment.ProcessorCount > 1)
            {
                BitVector? a = null, b = null;
                Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = 2 },
                    () => a = Hash(first, seed, outputBits, plan, vectorized, parallel: false),
                    () => b = Hash(second, seed, outputBits, plan, vectorized, parallel: false));
                return (a!, b!);
            }
            return (Hash(first, seed, outputBits, plan, vectorized, parallel), Hash(second, seed, outputBits, plan, vectorized, parallel));
        }

        /// <summary>Auto's pair strategy: Shared wherever the fused schedule takes both inputs (at 9 10^5 bits measured
        /// ~11 ms wall, ~22 ms CPU against ~14-15 ms and 26-30 ms for Concurrent); otherwise Sequential (Concurrent would
        /// double the peak memory of the largest hashes, and the small ones gain nothing from it).</summary>
        public static ToeplitzPairStrategy PairStrategyFor(ToeplitzNttPlan plan, bool vectorized = true) =>
            FusedApplies(plan, vectorized, inputs: 2) ? ToeplitzPairStrategy.Shared : ToeplitzPairStrategy.Sequential;

        /// <summary>
        /// Three passes over memory in all, each split across the cores: (1) the first forward pass of every
        /// column block of every input and of every window, reading packed bits; (2) per row, in L2: the rest
        /// of every forward transform, the pointwise products summed per input and row block, the first
        /// inverse pass (<see cref="NttAvx2.ConvolveRow"/>), each sum stored over an input row already
        /// consumed; (3) the last inverse pass per sum, then the parities packed to output bits.
        /// </summary>
        private static BitVector[] HashFused(BitVector[] inputs, BitVector seed, int l, ToeplitzNttPlan plan, bool parallel)
        {
            int n = plan.InputBits, length = plan.Length, log = BitOperations.Log2((uint)length), m = inputs.Length;
            int k = plan.ColumnBlocks, r = plan.RowBlocks, windowCount = plan.WindowOffsets.Length, bn = plan.ColumnBlockBits, bl = plan.RowBlockBits;
            long seedBits = (long)n + l - 1;
            int buffers = m * k + windowCount;
            parallel &= Environment.ProcessorCount > 1 && (long)length * buffers >= FusedParallelMinPoints;
            uint[] z = NttTwiddles.Forward(length / 2), zInverse = NttTwiddles.Inverse(length / 2);
            bool streaming = (long)length * buffers * sizeof(uint) > StreamingBytes;
            // Buffers: input i's column block c at i k + c, window w at m k + w. Sum (i, q) goes to buffer i r + q.
            var sources = new BitSource[buffers];
            for (int i = 0; i < m; i++)
                for (int c = 0; c < k; c++)
                    sources[i * k + c] = new BitSource(inputs[i].Words, n, (long)c * bn, (int)Math.Min(bn, n - (long)c * bn));
            for (int w = 0; w < windowCount; w++) sources[m * k + w] = new BitSource(seed.Words, seedBits, plan.WindowOffsets[w], bl + bn - 1);
            var products = new int[m * r][];
            for (int i = 0; i < m; i++)
                for (int q = 0; q < r; q++)
                {
                    var pairs = new List<int>();
                    for (int c = 0; c < k; c++) { pairs.Add(i * k + c); pairs.Add(m * k + plan.WindowOf[q, c]); }
                    products[i * r + q] = pairs.ToArray();
                }

            var data = new NttBuffer[buffers];
            try
            {
                for (int t = 0; t < buffers; t++) data[t] = NttBuffers.Rent(length);
                int groups = NttAvx2.ColumnGroups(log), rows = NttAvx2.Rows(log);
                NttAvx2.ForEach(buffers * groups, parallel, i => NttAvx2.ForwardColumns(data[i / groups].Pointer, log, i % groups, z, sources[i / groups], streaming));
                bool byWindow = NttAvx2.EachFirstFactorOnce(products);
                NttAvx2.ForEach(rows, parallel, row => NttAvx2.ConvolveRow(data, log, row, z, zInverse, products, byWindow, streaming));
                // Only the values the output bits are packed from: sum (i, q) gives bits q Bl .. from values Bn - 1 on.
                NttAvx2.ForEach(m * r * groups, parallel, i =>
                {
                    int q = i / groups % r;
                    NttAvx2.InverseColumns(data[i / groups].Pointer, log, i % groups, zInverse, bn - 1, bn - 1 + Math.Min(bl, l - (long)q * bl));
                });

                var outputs = new BitVector[m];
                uint factor = NttField.ToMontgomery(NttField.ToMontgomery(NttField.Inverse((uint)length)));
                for (int i = 0; i < m; i++)
                {
                    outputs[i] = new BitVector(l);
                    for (int q = 0; q < r; q++)
                    {
                        int count = (int)Math.Min(bl, l - (long)q * bl);
                        NttBits.Pack(data[i * r + q].Pointer, bn - 1, count, factor, outputs[i].Words, q * bl, vectorized: true, parallel);
                    }
                }
                return outputs;
            }
            finally
            {
                // Buffers 0 .. m k - 1 held the keys' transforms and then the sums whose parities are the output key:
                // wiped before they are cached for the next call or freed (the seed windows are public).
                // With more row blocks than column blocks (r > k) sums also went over window buffers: those are wiped too.
                NttAvx2.ForEach(Math.Min(buffers, m * Math.Max(k, r)), parallel, t => { if (data[t] != null) NativeMemory.Clear(data[t].Pointer, (nuint)length * sizeof(uint)); });
                foreach (NttBuffer? d in data) if (d != null) NttBuffers.Return(d);
            }
        }

        public static ToeplitzNttPlan PlanFor(int n, int l)
        {
            ToeplitzNttPlan? last = Volatile.Read(ref _lastPlan);
            if (last != null && last.InputBits == n && last.OutputBits == l) return last;
            var plan = ToeplitzNttPlan.Choose(n, l);
            Volatile.Write(ref _lastPlan, plan);
            return plan;
        }

        /// <summary>sum = (started ? sum : 0) + a b R^-1 mod p, in [0, p). a &lt; 4p, b &lt; 4p, sum &lt; p.</summary>
        private static void MultiplyAccumulate(uint[] sum, uint[] a, uint[] b, int length, bool started, bool vectorized, bool parallel)
        {
            const int Chunk = 1 << 14;
            int chunks = (length + Chunk - 1) / Chunk;
            NttAvx2.ForEach(chunks, parallel && chunks > 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (chunk) =>
            {
                int start = chunk * Chunk, end = Math.Min(length, start + Chunk);
                fixed (uint* s = sum, pa = a, pb = b)
                {
                    int i = start;
                    if (vectorized)
                    {
                        Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
                        for (; i + 8 <= end; i += 8)
                        {
                            Vector256<uint> y = Avx.LoadVector256(pb + i);
                            y = Vector256.Min(y, y - twoP); // < 2p is enough for MontMul (a < 4p: a y < 8p^2 < 2^32 p)
                            Vector256<uint> product = NttAvx2.MontMul(Avx.LoadVector256(pa + i), y, Avx2.ShiftRightLogical(y.AsUInt64(), 32).AsUInt32());
                            product = Vector256.Min(product, product - p);
                            if (started)
                            {
                                product += Avx.LoadVector256(s + i);
                                product = Vector256.Min(product, product - p);
                            }
                            Avx.Store(s + i, product);
                        }
                    }
                    for (; i < end; i++)
                    {
                        uint product = NttField.Reduce(NttField.MontMul(pa[i], NttField.Reduce(pb[i])));
                        s[i] = started ? (s[i] + product) % NttField.P : product;
                    }
                }
            });
        }
    }
}
