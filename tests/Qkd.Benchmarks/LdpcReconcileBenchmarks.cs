using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Benchmarks;

/// <summary>
/// Reconciliation throughput in raw key bits per second (frames decoded in parallel on all cores).
/// Run: dotnet run -c Release --project tests/Qkd.Benchmarks -- --filter '*LdpcReconcile*'
/// Mbit/s = Bits / mean time; see docs/benchmarks/reconciliation.md.
/// </summary>
[MemoryDiagnoser]
public class LdpcReconcileBenchmarks
{
    private IReconciler _reconciler = null!;
    private BitVector _alice = null!;
    private BitVector _bob = null!;

    [Params("adaptive", "paper-minsum", "paper")]
    public string Reconciler { get; set; } = "adaptive";

    [Params(0.06)]
    public double Qber { get; set; }

    /// <summary>Raw key bits per operation.</summary>
    public int Bits => 16 * _reconciler.FrameBits;

    [GlobalSetup]
    public void Setup()
    {
        var codes = Reconcilers.FindCodesDirectory();
        _reconciler = Reconciler == "paper-minsum"
            ? new FixedCodeReconciler("paper-minsum", AlistFormat.ReadFile(Reconcilers.CodePath(codes, 0.5)), h => new LayeredMinSumDecoder(h))
            : Reconcilers.Create(Reconciler, codes);
        var rng = new Random(6);
        _bob = BitVector.Random(Bits, rng);
        _alice = new BitVector((ulong[])_bob.Words.Clone(), Bits);
        for (var i = 0; i < Bits; i++)
        {
            if (rng.NextDouble() < Qber) _alice[i] = !_alice[i];
        }
    }

    [Benchmark]
    public int Reconcile() => _reconciler.Reconcile(_alice, _bob, Qber).FramesOk;
}
