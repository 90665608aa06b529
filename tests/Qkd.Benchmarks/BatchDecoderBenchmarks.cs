using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Benchmarks;

/// <summary>
/// The 32-frame AVX2 8-bit min-sum decoder alone on one core: 32 frames of the paper's rate-0.5 code per
/// operation (load + decode to convergence). Raw bits per second = 32 x 10^4 / mean time.
/// Run: dotnet run -c Release --project tests/Qkd.Benchmarks -- --filter '*BatchDecoder*'
/// </summary>
public class BatchDecoderBenchmarks
{
    private QuantizedMinSumBatchDecoder _decoder = null!;
    private float[][] _llr = null!;
    private ulong[][] _syndromes = null!;

    [Params(0.03, 0.06)]
    public double Qber { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var code = AlistFormat.ReadFile(Reconcilers.CodePath(Reconcilers.FindCodesDirectory(), 0.5));
        _decoder = new QuantizedMinSumBatchDecoder(code, 60);
        var rng = new Random(3);
        _llr = new float[QuantizedMinSumBatchDecoder.LaneCount][];
        _syndromes = new ulong[QuantizedMinSumBatchDecoder.LaneCount][];
        for (var lane = 0; lane < _llr.Length; lane++)
        {
            var bob = BitVector.Random(code.Columns, rng);
            var alice = new BitVector((ulong[])bob.Words.Clone(), code.Columns);
            for (var i = 0; i < code.Columns; i++) if (rng.NextDouble() < Qber) alice[i] = !alice[i];
            _syndromes[lane] = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
            code.Syndrome(bob.Words, _syndromes[lane]);
            _llr[lane] = new float[code.Columns];
            ChannelLlr.FromBits(alice.Words, 0, code.Columns, ChannelLlr.Magnitude(Qber), _llr[lane]);
        }
    }

    [Benchmark]
    public uint Decode32Frames()
    {
        for (var lane = 0; lane < _llr.Length; lane++) _decoder.Load(lane, _llr[lane], _syndromes[lane]);
        return _decoder.Run(uint.MaxValue);
    }
}
