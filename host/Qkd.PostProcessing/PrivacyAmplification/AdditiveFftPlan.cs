namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// Sizes of one Toeplitz hash by the additive FFT. Seed and input are cut into 32-bit chunks, the coefficients of
    /// polynomials over GF(2^64) whose product coefficients (degree &lt; 63) are the carry-less chunk products; the
    /// transform of 2^Log points gives the product mod s_Log(y). Log may be below the product's length where the
    /// wrapped terms (y^D = y^(D - 2^Log) times the lower terms of s_Log) land only on coefficients below the wanted bits.
    /// </summary>
    public readonly record struct AdditiveFftPlan(int Log, int InputChunks, int SeedChunks, int LowestWantedChunk)
    {
        public long Points => 1L << Log;

        public static AdditiveFftPlan For(int inputBits, int outputBits)
        {
            if (inputBits <= 0 || outputBits <= 0 || outputBits > inputBits)
                throw new ArgumentException($"No Toeplitz plan for {inputBits} input and {outputBits} output bits.");
            long seedBits = (long)inputBits + outputBits - 1;
            int inputChunks = (int)((inputBits + 31L) / 32), seedChunks = (int)((seedBits + 31) / 32);
            long highestDegree = (long)inputChunks + seedChunks - 2;
            // Chunk product m covers bits [32m, 32m + 63); the hash is bits [n - 1, n - 1 + l).
            int lowest = inputBits - 1 >= 63 ? (inputBits - 1 - 63) / 32 + 1 : 0;
            int log = 0;
            while ((1L << log) < seedChunks) log++; // the wanted bits end in the seed's last chunk
            for (; ; log++)
            {
                long points = 1L << log;
                if (highestDegree < points) break;
                long landing = highestDegree - points + (1L << HighestProperSubset(log));
                if (landing < lowest) break;
            }
            if (log > AdditiveFft.MaxLog) throw new ArgumentException($"{inputBits} input bits need a transform of 2^{log} points.");
            return new AdditiveFftPlan(log, inputChunks, seedChunks, lowest);
        }

        /// <summary>The largest j &lt; L whose bits are a subset of L's: the top lower term y^(2^j) of s_L.</summary>
        internal static int HighestProperSubset(int log)
        {
            for (int j = log - 1; j > 0; j--)
                if ((j & log) == j) return j;
            return 0;
        }

        public override string ToString() => $"afft 2^{Log}";
    }
}
