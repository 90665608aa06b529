namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// The twiddles of the negacyclic-splitting NTT, cached once for the largest size asked for. Stage s,
    /// block k multiplies by Z[k] = w^bitreverse(k): Z[0] = 1 and Z[2^s + j] = Z[j] * (primitive
    /// 2^(s+2)-th root), a sequence that does not depend on the transform size, so the table for 2^m
    /// points serves every smaller size (it is a prefix).
    /// Layout of a table of capacity C (length 2C): [0, C) the twiddles Z[k] (plain, &lt; p), [C, 2C) Shoup's
    /// quotients floor(Z[k] 2^32 / p), so a product a Z[k] mod p costs two multiplies (see <see cref="NttField.ShoupMul"/>).
    /// </summary>
    public static class NttTwiddles
    {
        private static readonly object Gate = new();
        private static uint[] _forward = Build(1 << 10, inverse: false);
        private static uint[] _inverse = Build(1 << 10, inverse: true);

        /// <summary>Builds the tables for transforms of up to 2^log points now, e.g. before a timed pipeline run (idempotent).</summary>
        public static void Prepare(int log) => EnsureCapacity(1 << Math.Clamp(log - 1, 0, NttField.MaxLog - 1));

        /// <summary>Forward table with at least <paramref name="count"/> (= N/2) twiddles.</summary>
        public static uint[] Forward(int count)
        {
            EnsureCapacity(count);
            return Volatile.Read(ref _forward);
        }

        /// <summary>Inverse table (Z[k]^-1) with at least <paramref name="count"/> twiddles.</summary>
        public static uint[] Inverse(int count)
        {
            EnsureCapacity(count);
            return Volatile.Read(ref _inverse);
        }

        /// <summary>Where the quotients start in a table.</summary>
        public static int QuotientOffset(uint[] table) => table.Length / 2;

        private static void EnsureCapacity(int count)
        {
            if (Volatile.Read(ref _forward).Length / 2 >= count && Volatile.Read(ref _inverse).Length / 2 >= count) return;
            lock (Gate)
            {
                if (_forward.Length / 2 >= count && _inverse.Length / 2 >= count) return;
                int size = Math.Max(count, _forward.Length);
                Volatile.Write(ref _forward, Build(size, inverse: false, _forward));
                Volatile.Write(ref _inverse, Build(size, inverse: true, _inverse));
            }
        }

        /// <summary>A table of the given capacity; the sequence only grows, so a smaller table's entries are copied.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static uint[] Build(int count, bool inverse, uint[]? previous = null)
        {
            int capacity = Math.Max(count, 8), known = previous == null ? 1 : previous.Length / 2;
            var table = GC.AllocateUninitializedArray<uint>(2 * capacity);
            if (previous == null) table[0] = 1;
            else
            {
                Array.Copy(previous, 0, table, 0, known);
                Array.Copy(previous, known, table, capacity, known);
            }
            for (int s = 0; (1 << s) < capacity; s++)
            {
                int half = 1 << s, end = Math.Min(capacity, 2 * half), from = Math.Max(half, known);
                if (from >= end) continue;
                uint root = NttField.RootOfUnity(s + 2);
                if (inverse) root = NttField.Inverse(root);
                uint rootQuotient = NttField.ShoupQuotient(root);
                for (int j = from; j < end; j++)
                {
                    uint v = NttField.ShoupMul(table[j - half], root, rootQuotient);
                    table[j] = v >= NttField.P ? v - NttField.P : v;
                }
            }
            for (int j = previous == null ? 0 : known; j < capacity; j++) table[capacity + j] = NttField.ShoupQuotient(table[j]);
            return table;
        }
    }
}
