using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;

namespace Qkd.Benchmarks;

/// <summary>Word-level XOR and popcount on packed bits (1 Mbit and 16 Mbit).</summary>
[MemoryDiagnoser]
public class BitVectorBenchmarks
{
    private BitVector _a = null!, _b = null!;

    [Params(1 << 20, 1 << 24)]
    public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = BitVector.Random(Bits, rng);
        _b = BitVector.Random(Bits, rng);
    }

    [Benchmark]
    public void Xor() => _a.XorWith(_b);

    [Benchmark]
    public int PopCount() => _a.PopCount();

    [Benchmark]
    public int HammingDistance() => _a.HammingDistance(_b);
}
