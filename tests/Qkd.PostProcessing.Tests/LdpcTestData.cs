using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>Shared inputs for the LDPC and reconciliation tests: the shipped codes and correlated strings.</summary>
internal static class LdpcTestData
{
    private static readonly Lazy<SparseParityCheckMatrix> Paper = new(() =>
        AlistFormat.ReadFile(Reconcilers.CodePath(Reconcilers.FindCodesDirectory(), 0.5)));

    /// <summary>The shipped rate-0.5 code: `qkd ldpc build --rate 0.5 --n 10000 --seed 1`.</summary>
    public static SparseParityCheckMatrix PaperCode => Paper.Value;

    /// <summary>Bob uniform, Alice = Bob with each bit flipped with probability <paramref name="qber"/>.</summary>
    public static (BitVector Alice, BitVector Bob) Correlated(int bits, double qber, int seed)
    {
        var rng = new Random(seed);
        var bob = BitVector.Random(bits, rng);
        var alice = new BitVector((ulong[])bob.Words.Clone(), bits);
        for (var i = 0; i < bits; i++)
        {
            if (rng.NextDouble() < qber) alice[i] = !alice[i];
        }
        return (alice, bob);
    }
}
