namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// The twiddles of the negacyclic-splitting NTT, in Montgomery form, cached once for the largest size
    /// asked for. Stage s, block k multiplies by Z[k] = w^bitreverse(k): Z[0] = 1 and
    /// Z[2^s + j] = Z[j] * (primitive 2^(s+2)-th root), a sequence that does not depend on the transform
    /// size, so the table for 2^m points serves every smaller size (it is a prefix).
    /// </summary>
    public static class NttTwiddles
    {
        private static readonly object Gate = new();
        private static uint[] _forward = Build(1 << 10, inverse: false);
        private static uint[] _inverse = Build(1 << 10, inverse: true);

        /// <summary>Forward twiddles, at least <paramref name="count"/> (= N/2) of them.</summary>
        public static uint[] Forward(int count)
        {
            EnsureCapacity(count);
            return Volatile.Read(ref _forward);
        }

        /// <summary>Inverse twiddles Z[k]^-1, at least <paramref name="count"/> of them.</summary>
        public static uint[] Inverse(int count)
        {
            EnsureCapacity(count);
            return Volatile.Read(ref _inverse);
        }

        private static void EnsureCapacity(int count)
        {
            if (Volatile.Read(ref _forward).Length >= count && Volatile.Read(ref _inverse).Length >= count) return;
            lock (Gate)
            {
                if (_forward.Length >= count && _inverse.Length >= count) return;
                int size = Math.Max(count, 2 * _forward.Length);
                Volatile.Write(ref _forward, Build(size, inverse: false));
                Volatile.Write(ref _inverse, Build(size, inverse: true));
            }
        }

        private static uint[] Build(int count, bool inverse)
        {
            var z = new uint[Math.Max(count, 8)];
            z[0] = NttField.ToMontgomery(1);
            for (int s = 0; (1 << s) < z.Length; s++)
            {
                uint root = NttField.RootOfUnity(s + 2);
                if (inverse) root = NttField.Inverse(root);
                uint factor = NttField.ToMontgomery(root);
                int half = 1 << s, end = Math.Min(z.Length, 2 * half);
                for (int j = half; j < end; j++)
                {
                    uint v = NttField.MontMul(z[j - half], factor);
                    z[j] = v >= NttField.P ? v - NttField.P : v;
                }
            }
            return z;
        }
    }
}
