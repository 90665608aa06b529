using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;

namespace Qkd.Benchmarks;

/// <summary>GF(2^64) polynomial tag of one 10^4-bit frame and of 10^6 bits, hardware vs portable multiply.</summary>
public class ConfirmationBenchmarks
{
    private BitVector _frame = null!;
    private PolynomialHash64 _hash = null!;

    [Params(10_000, 1_000_000)]
    public int Bits { get; set; }

    [Params(true, false)]
    public bool Hardware { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = BitVector.Random(Bits, new Random(3));
        _hash = new PolynomialHash64(0x243F6A8885A308D3UL, Hardware);
    }

    [Benchmark]
    public ulong Tag() => _hash.Tag(_frame);
}
