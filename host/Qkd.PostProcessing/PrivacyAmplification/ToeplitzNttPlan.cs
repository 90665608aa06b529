using System.Numerics;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// How an n-column, l-row Toeplitz product is cut for the NTT. Columns form k blocks of Bn bits and
    /// rows r blocks of Bl bits (multiples of 64, so blocks start on word boundaries). Block (row q,
    /// column c) is itself a Toeplitz product whose seed is the window of Bl + Bn - 1 bits starting at
    /// q Bl - c Bn + n - Bn: a middle product, exact in a cyclic convolution of N &gt;= Bl + Bn - 1 points.
    /// Blocks sharing an offset share a transformed window, and every row block sums its column blocks
    /// in the transformed domain, so the cost is (k + windows + r) transforms of N points. For l = n/2,
    /// k = 2, r = 1 gives N = n (5 transforms of n points instead of 3 of 2n).
    /// </summary>
    public sealed class ToeplitzNttPlan
    {
        public int InputBits { get; }
        public int OutputBits { get; }
        public int ColumnBlocks { get; }
        public int RowBlocks { get; }
        public int ColumnBlockBits { get; }
        public int RowBlockBits { get; }
        public int Length { get; }
        /// <summary>Distinct seed-window offsets (bits, may be negative); WindowOf[q, c] indexes them.</summary>
        public long[] WindowOffsets { get; }
        public int[,] WindowOf { get; }
        public int Transforms => ColumnBlocks + WindowOffsets.Length + RowBlocks;

        private ToeplitzNttPlan(int n, int l, int k, int r)
        {
            InputBits = n;
            OutputBits = l;
            ColumnBlocks = k;
            RowBlocks = r;
            ColumnBlockBits = RoundUp64(CeilDiv(n, k));
            RowBlockBits = RoundUp64(CeilDiv(l, r));
            Length = (int)Math.Max(Ntt.MinLength, BitOperations.RoundUpToPowerOf2((uint)(RowBlockBits + ColumnBlockBits - 1)));
            var offsets = new List<long>();
            WindowOf = new int[r, k];
            for (int q = 0; q < r; q++)
                for (int c = 0; c < k; c++)
                {
                    long offset = (long)q * RowBlockBits - (long)c * ColumnBlockBits + n - ColumnBlockBits;
                    int index = offsets.IndexOf(offset);
                    if (index < 0) { index = offsets.Count; offsets.Add(offset); }
                    WindowOf[q, c] = index;
                }
            WindowOffsets = offsets.ToArray();
        }

        /// <summary>A given cut (k column blocks, r row blocks), for tests and experiments.</summary>
        public static ToeplitzNttPlan Create(int n, int l, int columnBlocks, int rowBlocks)
        {
            if (n <= 0 || l <= 0 || l > n || columnBlocks <= 0 || rowBlocks <= 0) throw new ArgumentException("Need 0 < l <= n and at least one block each way.");
            var plan = new ToeplitzNttPlan(n, l, columnBlocks, rowBlocks);
            if ((long)plan.RowBlockBits + plan.ColumnBlockBits - 1 > 1 << NttField.MaxLog) throw new ArgumentException("Blocks too large for 2^26-point transforms.");
            return plan;
        }

        /// <summary>The cheapest cut with N &lt;= 2^26 (transform work plus pointwise products).</summary>
        public static ToeplitzNttPlan Choose(int n, int l)
        {
            if (n <= 0 || l <= 0 || l > n) throw new ArgumentException($"Need 0 < l <= n (got n = {n}, l = {l}).");
            if ((uint)n >= NttField.P) throw new ArgumentException($"n = {n} must stay below p = {NttField.P} so bit-product sums are exact.");
            ToeplitzNttPlan? best = null;
            double bestCost = double.MaxValue;
            for (int k = 1; k <= 8; k++)
                for (int r = 1; r <= 8; r++)
                {
                    if ((long)(k - 1) * RoundUp64(CeilDiv(n, k)) >= n || (long)(r - 1) * RoundUp64(CeilDiv(l, r)) >= l) continue;
                    if ((long)RoundUp64(CeilDiv(l, r)) + RoundUp64(CeilDiv(n, k)) - 1 > 1 << NttField.MaxLog) continue;
                    var plan = new ToeplitzNttPlan(n, l, k, r);
                    double cost = (double)plan.Length * (plan.Transforms * BitOperations.Log2((uint)plan.Length) + 2.0 * r * k);
                    if (cost < bestCost) { best = plan; bestCost = cost; }
                }
            return best ?? throw new ArgumentException($"n = {n} is beyond the NTT's reach (2^{NttField.MaxLog}-point transforms, n < p).");
        }

        private static int CeilDiv(int a, int b) => (int)(((long)a + b - 1) / b);
        private static int RoundUp64(int bits) => (int)(((long)bits + 63) & ~63L);

        public override string ToString() =>
            $"k={ColumnBlocks} column blocks of {ColumnBlockBits}, r={RowBlocks} row blocks of {RowBlockBits}, {WindowOffsets.Length} windows, {Transforms} transforms of 2^{BitOperations.Log2((uint)Length)}";
    }
}
