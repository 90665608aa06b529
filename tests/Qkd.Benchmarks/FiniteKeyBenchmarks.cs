using BenchmarkDotNet.Attributes;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.Benchmarks;

/// <summary>Cost of one key-length evaluation per profile (it runs once per block; this shows it is negligible).</summary>
public class FiniteKeyBenchmarks
{
    private static readonly KeyLengthInput Input = new()
    {
        Qber = 0.06, KeyBits = 1_000_000, SampleBits = 1_000_000, Epsilon = 1e-10, SinglePhotonFraction = 0.985, CodeRate = 0.5,
    };

    [Params("hbn-2023", "tomamichel-2012", "qd-2024")]
    public string Profile { get; set; } = "hbn-2023";

    [Benchmark]
    public long KeyLength() => KeyLengthProfiles.Get(Profile).Compute(Input).KeyBits;
}
