using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.DensityEvolution;

/// <summary>Check-node rule of the density evolution.</summary>
public enum DensityRule
{
    /// <summary>Float sum-product (tanh rule): the ensemble's belief-propagation threshold.</summary>
    SumProduct,

    /// <summary>8-bit offset min-sum as <see cref="QuasiCyclicMinSumDecoder"/> with <see cref="CheckUpdate.OffsetMinSum"/>.</summary>
    OffsetMinSum,

    /// <summary>8-bit self-corrected min-sum as <see cref="QuasiCyclicMinSumDecoder"/> with <see cref="CheckUpdate.SelfCorrected"/>.</summary>
    SelfCorrected,
}

/// <summary>Settings of one density-evolution run.</summary>
public sealed record DensitySettings
{
    public DensityRule Rule { get; init; } = DensityRule.SumProduct;

    /// <summary>Edges in the population (messages per direction).</summary>
    public int PoolEdges { get; init; } = 100_000;

    /// <summary>Iterations before a run counts as failed.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>Fraction of variable nodes punctured (channel LLR 0).</summary>
    public double Punctured { get; init; }

    /// <summary>Fraction of variable nodes shortened (known: channel LLR saturated, never in error).</summary>
    public double Shortened { get; init; }

    /// <summary>Quantisation steps per LLR unit (the decoder's Scale).</summary>
    public float Scale { get; init; } = 2f;

    /// <summary>Min-sum offset in LLR units (the decoder's offset).</summary>
    public float Offset { get; init; } = 0.5f;

    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Error fraction of the unknown variable nodes below which a run counts as converged. 0: none in error (the pool's
    /// resolution); a small positive target makes thresholds of small pools less noisy near the threshold.
    /// </summary>
    public double TargetError { get; init; }

    /// <summary>
    /// 0: punctured and shortened nodes drawn uniformly over all degrees. Otherwise only nodes of this variable degree are
    /// punctured or shortened (the fractions stay fractions of all nodes), to see which columns should be modulation bits.
    /// </summary>
    public int ModulationDegree { get; init; }
}

/// <summary>
/// Monte-Carlo density evolution (population dynamics) of an LDPC ensemble on the BSC under the all-zero word: a pool of
/// edge messages in each direction. Every iteration new variable nodes (degree drawn with probability proportional to
/// lambda_d / d, kind: punctured, shortened or BSC(p) with a fresh channel value) take d random check messages and emit d
/// messages, and new check nodes (rho_d / d) take d random variable messages and emit d, until each pool is refilled; a
/// node's output on an edge excludes that edge's input, so each message sees an independent, tree-like neighbourhood.
/// The quantised rules do what <see cref="QuasiCyclicMinSumDecoder"/> does per check: channel round(llr Scale) clamped to
/// +-127 (shortened +127, punctured 0), posterior saturated to +-127, variable-to-check = sat(posterior - own), both
/// minima minus the offset steps and clamped at 0; flooding schedule instead of layered (same fixed points, about twice
/// the iterations). Convergence: the error fraction of the unknown nodes built in an iteration at or below
/// <see cref="DensitySettings.TargetError"/>.
/// </summary>
public sealed class PopulationDensityEvolution
{
    private const double SumProductClamp = 40;

    private readonly DensitySettings _settings;
    private readonly int _edges;

    public PopulationDensityEvolution(DegreeDistribution distribution, DensitySettings settings)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (settings.PoolEdges < 1000) throw new ArgumentOutOfRangeException(nameof(settings), "the pool needs at least 1000 edges");
        if (settings.Punctured < 0 || settings.Shortened < 0 || settings.Punctured + settings.Shortened >= 1)
            throw new ArgumentOutOfRangeException(nameof(settings), "punctured and shortened fractions must be >= 0 with a sum below 1");
        Distribution = distribution;
        _edges = settings.PoolEdges;
    }

    public DegreeDistribution Distribution { get; }

    /// <summary>Rate after puncturing and shortening: (R - s) / (1 - p - s).</summary>
    public double EffectiveRate => (Distribution.DesignRate - _settings.Shortened) / (1 - _settings.Punctured - _settings.Shortened);

    /// <summary>Efficiency f = (1 - R_eff) / h(p) of decoding at crossover p.</summary>
    public double EfficiencyAt(double crossover) => (1 - EffectiveRate) / Entropy.Binary(crossover);

    /// <summary>
    /// Runs the evolution at BSC crossover <paramref name="crossover"/>; returns the iteration at which no unknown variable
    /// node was in error any more (1-based), or -1 when that did not happen within the iteration limit.
    /// </summary>
    public int Run(double crossover) => Run(crossover, null);

    /// <summary>As <see cref="Run(double)"/>, recording the error fraction of the unknown nodes after each iteration.</summary>
    public int Run(double crossover, List<double>? errorTrace)
    {
        if (crossover <= 0 || crossover >= 0.5) throw new ArgumentOutOfRangeException(nameof(crossover));
        var random = new SplitMix(_settings.Seed);
        var llr = Math.Log((1 - crossover) / crossover);
        return _settings.Rule == DensityRule.SumProduct
            ? RunSumProduct(crossover, llr, random, errorTrace)
            : RunQuantized(crossover, llr, random, errorTrace);
    }

    /// <summary>
    /// The 8-bit rules, node by node with message histories. Self-correction compares a message with the one sent on the
    /// same edge one iteration earlier, and on a tree both come from the same subtree; so each population element keeps its
    /// whole history (messages of iterations 1..t), and a new element recomputes its history from its children's
    /// histories. (Resampling neighbours every iteration while keeping only the last sent message would give the erasure
    /// information from an independent subtree, a decoder with more than the tree's information: it beat sum-product.)
    /// The offset rule has no memory and keeps only the last message. A new variable node draws its degree (node
    /// perspective), its kind (punctured, shortened or BSC) and d check messages, and emits d messages
    /// sat(sat(channel + sum) - own), as the decoder does; a new check node draws d variable messages and emits d.
    /// </summary>
    private int RunQuantized(double crossover, double llr, SplitMix random, List<double>? trace)
    {
        var channelMagnitude = (int)Math.Clamp(MathF.Round((float)llr * _settings.Scale), -127f, 127f);
        var offset = Math.Clamp((int)Math.Round(_settings.Offset * _settings.Scale), 0, 127);
        var selfCorrected = _settings.Rule == DensityRule.SelfCorrected;
        var depth = selfCorrected ? _settings.Iterations : 1;
        var pool = _edges;
        var toCheck = new sbyte[(long)pool * depth];    // element i: messages of iterations 1..t at [i * depth, ...)
        var toVariable = new sbyte[(long)pool * depth];
        var (variableDegrees, variableCumulative) = NodePerspective(Distribution.VariableDegrees, Distribution.VariableFractions);
        var (checkDegrees, checkCumulative) = NodePerspective(Distribution.CheckDegrees, Distribution.CheckFractions);
        var maxDegree = Math.Max(variableDegrees.Max(), checkDegrees.Max());
        var children = new int[maxDegree];
        var values = new int[maxDegree];
        var (punctured, known) = ModulationOdds(variableDegrees, variableCumulative);

        for (var iteration = 1; iteration <= _settings.Iterations; iteration++)
        {
            var first = selfCorrected ? 1 : iteration;
            int errors = 0, nodes = 0;
            for (var at = 0; at < pool;)
            {
                var degree = Math.Min(Pick(variableDegrees, variableCumulative, random), pool - at);
                var draw = _settings.ModulationDegree == 0 || degree == _settings.ModulationDegree ? random.NextDouble() : 1.0;
                var shortened = draw >= punctured && draw < known;
                var channel = draw < punctured ? 0 : shortened ? 127 : random.NextDouble() < crossover ? -channelMagnitude : channelMagnitude;
                for (var k = 0; k < degree; k++) children[k] = random.Below(pool);
                for (var s = first; s <= iteration; s++)
                {
                    // check messages of iteration s - 1 (none before the first)
                    var sum = channel;
                    for (var k = 0; k < degree; k++)
                    {
                        values[k] = s == 1 ? 0 : toVariable[(long)children[k] * depth + (selfCorrected ? s - 2 : 0)];
                        sum += values[k];
                    }
                    var posterior = Math.Clamp(sum, -127, 127);
                    if (s == iteration && !shortened)
                    {
                        nodes++;
                        if (posterior <= 0) errors++;
                    }
                    for (var k = 0; k < degree; k++)
                    {
                        var value = Math.Clamp(posterior - values[k], -127, 127);
                        var slot = (long)(at + k) * depth;
                        if (selfCorrected)
                        {
                            var previous = s == 1 ? 0 : toCheck[slot + s - 2];
                            if (previous != 0 && (value ^ previous) < 0) value = 0;
                            toCheck[slot + s - 1] = (sbyte)value;
                        }
                        else
                        {
                            toCheck[slot] = (sbyte)value;
                        }
                    }
                }
                at += degree;
            }
            trace?.Add(nodes == 0 ? 0 : (double)errors / nodes);
            if (iteration > 1 && errors <= _settings.TargetError * nodes) return iteration;

            for (var at = 0; at < pool;)
            {
                var degree = Math.Min(Pick(checkDegrees, checkCumulative, random), pool - at);
                for (var k = 0; k < degree; k++) children[k] = random.Below(pool);
                for (var s = first; s <= iteration; s++)
                {
                    var position = selfCorrected ? s - 1 : 0;
                    var minima = CheckMinima.Empty;
                    var sign = 0;
                    for (var k = 0; k < degree; k++)
                    {
                        int value = toCheck[(long)children[k] * depth + position];
                        values[k] = value;
                        sign ^= value;
                        minima.Add(Math.Abs(value), k);
                    }
                    var m1 = CheckMinima.OffsetMagnitude(minima.Smallest, offset);
                    var m2 = CheckMinima.OffsetMagnitude(minima.Second, offset);
                    for (var k = 0; k < degree; k++)
                    {
                        var magnitude = k == minima.SmallestAt ? m2 : m1;
                        toVariable[(long)(at + k) * depth + position] = (sbyte)((sign ^ values[k]) < 0 ? -magnitude : magnitude);
                    }
                }
                at += degree;
            }
        }
        return -1;
    }

    /// <summary>
    /// Thresholds on a node's uniform draw: below the first it is punctured, below the second shortened. With a
    /// <see cref="DensitySettings.ModulationDegree"/> only nodes of that degree draw, with odds scaled by its node fraction.
    /// </summary>
    private (double Punctured, double Known) ModulationOdds(int[] degrees, double[] cumulative)
    {
        double punctured = _settings.Punctured, known = punctured + _settings.Shortened;
        if (_settings.ModulationDegree == 0) return (punctured, known);
        var index = Array.IndexOf(degrees, _settings.ModulationDegree);
        if (index < 0) throw new ArgumentException($"no variable node of degree {_settings.ModulationDegree} to puncture or shorten");
        var fraction = cumulative[index] - (index == 0 ? 0 : cumulative[index - 1]);
        if (known > fraction)
            throw new ArgumentException($"degree-{_settings.ModulationDegree} nodes are a fraction {fraction:F4} of all, fewer than the {known:F4} to puncture or shorten");
        return (punctured / fraction, known / fraction);
    }

    /// <summary>Node-perspective degree fractions (lambda_d / d normalised) as a cumulative table.</summary>
    private static (int[] Degrees, double[] Cumulative) NodePerspective(int[] degrees, double[] edgeFractions)
    {
        var weights = degrees.Select((d, i) => edgeFractions[i] / d).ToArray();
        var total = weights.Sum();
        var cumulative = new double[degrees.Length];
        var running = 0.0;
        for (var i = 0; i < degrees.Length; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }
        cumulative[^1] = 1.0;
        return (degrees, cumulative);
    }

    private static int Pick(int[] degrees, double[] cumulative, SplitMix random)
    {
        var u = random.NextDouble();
        var i = 0;
        while (u >= cumulative[i]) i++;
        return degrees[i];
    }

    /// <summary>
    /// Sum-product, node by node as <see cref="RunQuantized"/> (fresh degrees, kinds and channel values every iteration,
    /// the last message per edge): LLRs clamped to +-40, the check rule in the phi domain.
    /// </summary>
    private int RunSumProduct(double crossover, double llr, SplitMix random, List<double>? trace)
    {
        var pool = _edges;
        var toCheck = new double[pool];
        var toVariable = new double[pool];
        var (variableDegrees, variableCumulative) = NodePerspective(Distribution.VariableDegrees, Distribution.VariableFractions);
        var (checkDegrees, checkCumulative) = NodePerspective(Distribution.CheckDegrees, Distribution.CheckFractions);
        var maxDegree = Math.Max(variableDegrees.Max(), checkDegrees.Max());
        var children = new int[maxDegree];
        var values = new double[maxDegree];
        var phis = new double[maxDegree];
        var (punctured, known) = ModulationOdds(variableDegrees, variableCumulative);

        for (var iteration = 1; iteration <= _settings.Iterations; iteration++)
        {
            int errors = 0, nodes = 0;
            for (var at = 0; at < pool;)
            {
                var degree = Math.Min(Pick(variableDegrees, variableCumulative, random), pool - at);
                var draw = _settings.ModulationDegree == 0 || degree == _settings.ModulationDegree ? random.NextDouble() : 1.0;
                var shortened = draw >= punctured && draw < known;
                var sum = draw < punctured ? 0 : shortened ? SumProductClamp : random.NextDouble() < crossover ? -llr : llr;
                for (var k = 0; k < degree; k++)
                {
                    values[k] = iteration == 1 ? 0 : toVariable[random.Below(pool)];
                    sum += values[k];
                }
                if (!shortened)
                {
                    nodes++;
                    if (sum <= 0) errors++;
                }
                for (var k = 0; k < degree; k++) toCheck[at + k] = Math.Clamp(sum - values[k], -SumProductClamp, SumProductClamp);
                at += degree;
            }
            trace?.Add(nodes == 0 ? 0 : (double)errors / nodes);
            if (iteration > 1 && errors <= _settings.TargetError * nodes) return iteration;

            for (var at = 0; at < pool;)
            {
                var degree = Math.Min(Pick(checkDegrees, checkCumulative, random), pool - at);
                var total = 0.0;
                var negative = false;
                for (var k = 0; k < degree; k++)
                {
                    var value = toCheck[random.Below(pool)];
                    values[k] = value;
                    negative ^= value < 0;
                    phis[k] = Phi(Math.Abs(value));
                    total += phis[k];
                }
                for (var k = 0; k < degree; k++)
                {
                    var magnitude = Math.Min(Phi(Math.Max(total - phis[k], 0)), SumProductClamp);
                    toVariable[at + k] = negative ^ (values[k] < 0) ? -magnitude : magnitude;
                }
                at += degree;
            }
        }
        return -1;
    }

    /// <summary>phi(x) = -ln tanh(x / 2), its own inverse; phi(0) = infinity is capped.</summary>
    private static double Phi(double x)
    {
        if (x < 1e-12) return 28.0;
        if (x > 30) return 2 * Math.Exp(-x);
        return -Math.Log(Math.Tanh(x / 2));
    }

    /// <summary>
    /// Largest crossover (by bisection on [<paramref name="low"/>, <paramref name="high"/>], <paramref name="steps"/> halvings)
    /// at which the evolution converges within the iteration limit.
    /// </summary>
    public double Threshold(double low, double high, int steps = 12)
    {
        for (var i = 0; i < steps; i++)
        {
            var middle = (low + high) / 2;
            if (Run(middle) > 0) low = middle;
            else high = middle;
        }
        return low;
    }

    /// <summary>Threshold searched between f = <paramref name="maxEfficiency"/> and capacity (f = 1) at this code's effective rate.</summary>
    public double Threshold(double maxEfficiency = 2.0, int steps = 12)
    {
        var target = 1 - EffectiveRate;
        return Threshold(InverseBinaryEntropy(target / maxEfficiency), InverseBinaryEntropy(target), steps);
    }

    /// <summary>p in (0, 0.5] with h(p) = <paramref name="entropy"/>.</summary>
    public static double InverseBinaryEntropy(double entropy)
    {
        double low = 0, high = 0.5;
        for (var i = 0; i < 60; i++)
        {
            var middle = (low + high) / 2;
            if (Entropy.Binary(middle) < entropy) low = middle;
            else high = middle;
        }
        return (low + high) / 2;
    }

    /// <summary>SplitMix64: a small seeded generator, so runs are reproducible.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        public int Below(int bound) => (int)((Next() >> 32) * (ulong)bound >> 32);

        public void Shuffle(int[] values)
        {
            for (var i = values.Length - 1; i > 0; i--)
            {
                var j = Below(i + 1);
                (values[i], values[j]) = (values[j], values[i]);
            }
        }
    }
}
