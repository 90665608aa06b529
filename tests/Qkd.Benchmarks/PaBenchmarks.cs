using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.PrivacyAmplification;

namespace Qkd.Benchmarks;

/// <summary>
/// Toeplitz privacy amplification, n input bits to n/2 and n/5 output bits, by the NTT and by the additive FFT over
/// GF(2^64) (Auto's choice where vectorized), and one forward NTT of n points, the unit the NTT hash is made of (5 of
/// them at l = n/2).
/// </summary>
[MemoryDiagnoser]
public class PaBenchmarks
{
    private BitVector _input = null!, _seed = null!;
    private uint[] _values = null!;
    private ToeplitzHash _hash = null!;

    [Params(1 << 20, 1 << 24)]
    public int Bits { get; set; }

    [Params(ToeplitzMethod.Ntt, ToeplitzMethod.AdditiveFft)]
    public ToeplitzMethod Method { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _hash = new ToeplitzHash(method: Method);
        var rng = new Random(2);
        _input = BitVector.Random(Bits, rng);
        _seed = BitVector.Random(ToeplitzHash.SeedBits(Bits, Bits / 2), rng);
        _values = new uint[Bits];
        for (int i = 0; i < Bits; i++) _values[i] = (uint)rng.Next(2);
    }

    [Benchmark]
    public BitVector Toeplitz() => _hash.Hash(_input, _seed, Bits / 2);

    // l = 0.2 n: about the secret fraction left at 6 % QBER (the seed is long enough for l = n/2).
    [Benchmark]
    public BitVector ToeplitzKeyFraction() => _hash.Hash(_input, _seed, Bits / 5);

    // Values stay below 4p across repeated forward transforms (lazy reduction), so reuse is valid.
    [Benchmark]
    public uint[] NttForward()
    {
        Ntt.Forward(_values, Bits);
        return _values;
    }
}
