using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.Benchmarks;

/// <summary>Toeplitz privacy amplification, n input bits to n/2 output bits.</summary>
[MemoryDiagnoser]
public class PaBenchmarks
{
    private BitVector _input = null!, _seed = null!;
    private readonly ToeplitzHash _hash = new();

    [Params(1 << 20, 1 << 24)]
    public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _input = BitVector.Random(Bits, rng);
        _seed = BitVector.Random(ToeplitzHash.SeedBits(Bits, Bits / 2), rng);
    }

    [Benchmark]
    public BitVector Toeplitz() => _hash.Hash(_input, _seed, Bits / 2);
}
