namespace Qkd.PostProcessing.FiniteKey
{
    public static class Entropy
    {
        /// <summary>Binary entropy h(x) = -x log2 x - (1-x) log2 (1-x), with h(0) = h(1) = 0.</summary>
        public static double Binary(double x)
        {
            if (x <= 0 || x >= 1) return 0;
            return -x * Math.Log2(x) - (1 - x) * Math.Log2(1 - x);
        }
    }
}
