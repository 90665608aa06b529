namespace Qkd.PostProcessing.Gf2
{
    /// <summary>
    /// The Cantor basis of GF(2^64) (Gf64's field) for additive FFTs (Lin, Chung, Han 2014): beta_0 = 1,
    /// beta_i^2 + beta_i = beta_(i-1). Its subspace polynomials s_i(y) = prod over span(beta_0 .. beta_(i-1)) of (y - w)
    /// are sparse and F2-linear: s_i(y) = sum of y^(2^j) over the j whose bits are a subset of i's, with
    /// s_i(beta_t) = beta_(t-i) for t >= i and 0 below (so s_i(beta_i) = 1: already normalised).
    /// </summary>
    public static class CantorBasis
    {
        /// <summary>beta_0 .. beta_63 exist (x^2 + x = c is solvable iff the trace of c is 0; it is for beta_0 .. beta_62).</summary>
        public const int Count = 64;

        private static readonly ulong[] Betas = Build();

        /// <summary>beta_i, 0 &lt;= i &lt; <see cref="Count"/>.</summary>
        public static ulong Beta(int i) => Betas[i];

        public static ulong Square(ulong a) => Gf64.Multiply(a, a, useHardware: false);

        /// <summary>s_i(y): the sum of y^(2^j) over the bitwise subsets j of i.</summary>
        public static ulong Subspace(int i, ulong y)
        {
            ulong result = 0, power = y; // power = y^(2^j)
            for (int j = 0; j <= i; j++)
            {
                if ((j & i) == j) result ^= power;
                power = Square(power);
            }
            return result;
        }

        /// <summary>One root x of x^2 + x = c (the other is x + 1), by Gaussian elimination over the 64 bits.</summary>
        /// <exception cref="ArgumentException">c has trace 1: no root in GF(2^64).</exception>
        public static ulong SolveSquarePlusSelf(ulong c)
        {
            // pivotRow[b] = an image vector with leading bit b; pivotCombination[b] = which basis bits x it came from.
            var pivotRow = new ulong[64];
            var pivotCombination = new ulong[64];
            for (int i = 0; i < 64; i++)
            {
                ulong e = 1UL << i, image = Square(e) ^ e, combination = e;
                for (int bit = 63; bit >= 0 && image != 0; bit--)
                {
                    if (((image >> bit) & 1) == 0) continue;
                    if (pivotRow[bit] == 0) { pivotRow[bit] = image; pivotCombination[bit] = combination; image = 0; break; }
                    image ^= pivotRow[bit];
                    combination ^= pivotCombination[bit];
                }
            }
            ulong rest = c, root = 0;
            for (int bit = 63; bit >= 0; bit--)
            {
                if (((rest >> bit) & 1) == 0) continue;
                if (pivotRow[bit] == 0) throw new ArgumentException("x^2 + x = c has no root in GF(2^64) (trace of c is 1).");
                rest ^= pivotRow[bit];
                root ^= pivotCombination[bit];
            }
            return root;
        }

        private static ulong[] Build()
        {
            var betas = new ulong[Count];
            betas[0] = 1;
            for (int i = 1; i < Count; i++) betas[i] = SolveSquarePlusSelf(betas[i - 1]);
            return betas;
        }
    }
}
