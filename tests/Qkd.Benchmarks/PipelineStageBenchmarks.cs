using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Benchmarks;

/// <summary>
/// The pipeline's stages outside the decoder and the PA kernel, one thread: the estimation of a 10^6-bit block
/// with a 10^5-bit sample (sample choice, QBER counts, removal from both strings) and its parts, and one
/// frame's syndrome of the rate-0.6 mother code (10^4 columns).
/// Run: dotnet run -c Release --project tests/Qkd.Benchmarks -- --filter '*PipelineStage*'
/// </summary>
public class PipelineStageBenchmarks
{
    private const int Bits = 1_000_000, Sample = 100_000;
    private BitVector _alice = null!, _bob = null!, _mask = null!, _frame = null!;
    private SparseParityCheckMatrix _code = null!;
    private ulong[] _syndrome = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _bob = BitVector.Random(Bits, rng);
        _alice = _bob.Slice(0, Bits);
        for (var i = 0; i < Bits; i++) if (rng.NextDouble() < 0.06) _alice[i] = !_alice[i];
        _mask = SharedSample.ChooseMask(Bits, Sample, 2);
        _code = AlistFormat.ReadFile(Reconcilers.CodePath(Reconcilers.FindCodesDirectory(), 0.6));
        _frame = BitVector.Random(_code.Columns, rng);
        _syndrome = new ulong[SparseParityCheckMatrix.WordsFor(_code.Rows)];
    }

    [Benchmark]
    public EstimationResult Estimate() => ParameterEstimation.Estimate(_alice, _bob, Bits / 2, Sample, 2);

    [Benchmark]
    public BitVector ChooseSample() => SharedSample.ChooseMask(Bits, Sample, 2);

    [Benchmark]
    public BitVector RemoveSample() => _alice.Except(_mask);

    [Benchmark]
    public ulong FrameSyndrome()
    {
        _code.Syndrome(_frame.Words, _syndrome);
        return _syndrome[0];
    }
}
