using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.Benchmarks;

/// <summary>
/// The one-frame quasi-cyclic decoder of the default reconciler alone, on one core, at its plan for 6 % QBER
/// (<see cref="RateAdaptiveReconciler.LongCodeAt"/>: codes/qc/rate-0.65 at f0 1.14, self-corrected min-sum):
/// <see cref="DecodeFrame"/> = load + decode one long frame to convergence (90 000 raw bits);
/// <see cref="TwentyIterations"/> = 20 iterations of a frame that cannot converge (channel errors at 9 %), i.e. the cost per
/// iteration x 20; <see cref="LoadFromLlrs"/> / <see cref="LoadFromBits"/> = a frame's channel and syndrome set up from float
/// LLRs (quantised per column) or from packed bits and the punctured/shortened masks (<see cref="QuasiCyclicMinSumDecoder.LoadHard"/>,
/// what the reconciler does since recon-30).
/// Run: dotnet run -c Release --project tests/Qkd.Benchmarks -- --filter '*QuasiCyclicDecoder*'
/// </summary>
public class QuasiCyclicDecoderBenchmarks
{
    private const double Qber = 0.06;
    private QuasiCyclicMinSumDecoder _decoder = null!;
    private QuasiCyclicMinSumDecoder _stuck = null!;
    private float[] _llr = null!;
    private float[] _noisyLlr = null!;
    private ulong[] _syndrome = null!;
    private ulong[] _bits = null!;
    private ulong[] _unknown = null!;
    private ulong[] _known = null!;
    private float _magnitude;

    [GlobalSetup]
    public void Setup()
    {
        var reconciler = (RateAdaptiveReconciler)Reconcilers.Create(Reconcilers.Default);
        var (code, punctured) = reconciler.LongCodeAt(Qber);
        _decoder = new QuasiCyclicMinSumDecoder(code.QuasiCyclic!, code.Matrix, reconciler.LongMaxIterations, reconciler.LongDecoderOffset,
            reconciler.DecoderScale, checkUpdate: reconciler.LongCheckUpdate);
        _stuck = new QuasiCyclicMinSumDecoder(code.QuasiCyclic!, code.Matrix, 20, reconciler.LongDecoderOffset, reconciler.DecoderScale,
            checkUpdate: reconciler.LongCheckUpdate);
        var rng = new Random(3);
        var columns = code.Matrix.Columns;
        var bob = BitVector.Random(columns, rng);
        var shortened = code.ModulationPositions.AsSpan(punctured).ToArray();
        foreach (var c in shortened) bob[c] = false;
        _syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Matrix.Rows)];
        code.Syndrome(bob.Words, _syndrome);
        _llr = AliceLlr(code, bob, punctured, Qber, rng);
        _noisyLlr = AliceLlr(code, bob, punctured, 0.09, rng);
        // The same channel as _llr in packed form: hard decisions, then which columns are unknown (punctured) or known (shortened).
        var words = SparseParityCheckMatrix.WordsFor(columns);
        _bits = new ulong[words];
        _unknown = new ulong[words];
        _known = new ulong[words];
        for (var c = 0; c < columns; c++) if (_llr[c] < 0) _bits[c >> 6] |= 1UL << (c & 63);
        for (var j = 0; j < code.ModulationBits; j++)
        {
            var c = code.ModulationPositions[j];
            (j < punctured ? _unknown : _known)[c >> 6] |= 1UL << (c & 63);
        }
        _magnitude = ChannelLlr.Magnitude(Qber);
    }

    /// <summary>Bob's bits seen through a BSC with <paramref name="errors"/> (LLRs for 6 %), punctured 0, shortened known.</summary>
    private static float[] AliceLlr(MotherCode code, BitVector bob, int punctured, double errors, Random rng)
    {
        var magnitude = ChannelLlr.Magnitude(Qber);
        var llr = new float[code.Matrix.Columns];
        for (var c = 0; c < llr.Length; c++) llr[c] = bob[c] ^ (rng.NextDouble() < errors) ? -magnitude : magnitude;
        for (var j = 0; j < code.ModulationBits; j++) llr[code.ModulationPositions[j]] = j < punctured ? 0f : ChannelLlr.Known;
        return llr;
    }

    [Benchmark]
    public uint DecodeFrame()
    {
        _decoder.Load(0, _llr, _syndrome);
        return _decoder.Run(1);
    }

    [Benchmark]
    public void LoadFromLlrs() => _decoder.Load(0, _llr, _syndrome);

    [Benchmark]
    public void LoadFromBits() => _decoder.LoadHard(0, _bits, _unknown, _known, _magnitude, _syndrome);

    [Benchmark]
    public uint TwentyIterations()
    {
        _stuck.Load(0, _noisyLlr, _syndrome);
        return _stuck.Run(1);
    }
}
