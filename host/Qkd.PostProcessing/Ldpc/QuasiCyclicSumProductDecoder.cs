using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Layered sum-product (float) for one frame of a quasi-cyclic code with Z = 32: the precise decoder the reconciler uses
/// for long frames at low QBER, where the rate-0.8/0.85 codes have check degrees of about 25-32 (circulants per block row) and min-sum's check rule
/// (the smallest input stands for all of them) loses most against the exact one (docs/benchmarks/reconciliation.md,
/// "Precise decoder at low QBER"). The arithmetic is <see cref="LayeredSumProductDecoder"/>'s in single precision:
/// per check, q = L - r, t = tanh(|q|/2) = (1 - e^-|q|) / (1 + e^-|q|), the extrinsic product of the other t by
/// prefix and suffix products (no division by a small t), r' = ln((1 + p) / (1 - p)) with p kept below 1 - 2^-23
/// (|r'| &lt;= 16.6), sign = syndrome bit xor the other signs. A layer is one block row: its 32 checks touch disjoint
/// variables, so they are 32 float lanes (four Vector256 of 8). The posteriors use the min-sum decoder's rotated layout
/// (<see cref="QuasiCyclicMinSumDecoder"/>): each block column holds its 32 posteriors twice in 64 floats at a phase,
/// a circulant of shift s is read at (s - phase) mod 32 and written back as it is, which makes s the new phase; the
/// layer order fixes every load offset (precomputed).
/// <para>
/// Blind rounds and restarts behave as in <see cref="QuasiCyclicMinSumDecoder"/>: <see cref="Reveal"/> sets a known
/// bit to +-<see cref="ChannelLlr.Known"/> and moves its posterior by the change, the next <see cref="Run"/> resumes
/// for <see cref="ResumeIterations"/>, and after <see cref="RestartAfterFailures"/> failed attempts in a row it starts
/// over from the channel. Early stop on the per-layer parity, confirmed by the full syndrome. Only portable
/// Vector256 arithmetic (its own e^-x and ln, <see cref="ExpOfNegative"/>, <see cref="LogAtLeastOne"/>), so it runs
/// without AVX2 (slowly) and gives the same results everywhere.
/// Memory: 4 bytes per edge (messages) and 8 per column (posteriors): about 2.8 MB for the n = 102 400 codes.
/// Nothing is allocated after construction.
/// </para>
/// </summary>
public sealed class QuasiCyclicSumProductDecoder : IFrameBatchDecoder
{
    /// <summary>The lifting size this layout needs (32 lanes = four Vector256&lt;float&gt;).</summary>
    public const int RequiredLiftingSize = 32;

    private const int Z = RequiredLiftingSize;
    private const int Slot = 2 * Z;
    private const int Groups = Z / 8;
    private const uint SignBit = 0x8000_0000u;

    /// <summary>Largest extrinsic tanh product: 1 - 2^-23, so 1 - p is exact and |r'| stays finite (16.6).</summary>
    private const float MaxProduct = 1f - 1f / (1 << 23);

    private readonly QuasiCyclicCode _code;
    private readonly int[] _layerStart;
    private readonly int[] _blockColumn;
    private readonly int[] _shift;
    /// <summary>Float offset of each circulant's 32-float load in <see cref="_posterior"/>; its slot is Load &amp; ~63.</summary>
    private readonly int[] _load;
    /// <summary>Each block column's phase between iterations (the shift of its last circulant in layer order).</summary>
    private readonly int[] _phase;
    private readonly float[] _channel;
    private readonly float[] _posterior;
    /// <summary>Check-to-variable message of each circulant's 32 checks (lane r = check iZ + r).</summary>
    private readonly float[] _messages;
    /// <summary>Per check: the sign bit when Bob's syndrome bit is 1.</summary>
    private readonly uint[] _syndromeSigns;
    private readonly float[] _q;
    private readonly float[] _tanh;
    private readonly float[] _prefix;
    private bool _fresh = true;
    private int _failedRuns;
    private int _iterations;

    /// <param name="matrix">The lifted matrix when the caller already holds it; built otherwise.</param>
    public QuasiCyclicSumProductDecoder(QuasiCyclicCode code, SparseParityCheckMatrix? matrix = null, int maxIterations = 60)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!Supports(code)) throw new ArgumentException($"the sum-product layout needs Z = {Z}, got {code.LiftingSize}", nameof(code));
        _code = code;
        Matrix = matrix ?? code.ToMatrix();
        if (Matrix.Rows != code.Rows || Matrix.Columns != code.Columns)
            throw new ArgumentException("the matrix is not the lifting of this code", nameof(matrix));
        MaxIterations = maxIterations;
        _layerStart = new int[code.BaseRows + 1];
        _blockColumn = new int[code.Circulants];
        _shift = new int[code.Circulants];
        var maxDegree = 0;
        for (var i = 0; i < code.BaseRows; i++)
        {
            var columns = code.ColumnsOfBaseRow(i);
            columns.CopyTo(_blockColumn.AsSpan(_layerStart[i]));
            code.ShiftsOfBaseRow(i).CopyTo(_shift.AsSpan(_layerStart[i]));
            _layerStart[i + 1] = _layerStart[i] + columns.Length;
            maxDegree = Math.Max(maxDegree, columns.Length);
        }
        _load = new int[code.Circulants];
        _phase = new int[code.BaseColumns];
        QuasiCyclicMinSumDecoder.PlanRotations(_blockColumn, _shift, Slot, _phase, _load);
        _channel = new float[code.Columns];
        _posterior = new float[code.BaseColumns * Slot];
        _messages = new float[code.Circulants * Z];
        _syndromeSigns = new uint[code.Rows];
        _q = new float[maxDegree * Z];
        _tanh = new float[maxDegree * Z];
        _prefix = new float[maxDegree * Z];
    }

    /// <summary>True when this decoder can run <paramref name="code"/> (Z = 32).</summary>
    public static bool Supports(QuasiCyclicCode code) => code.LiftingSize == Z;

    public SparseParityCheckMatrix Matrix { get; }

    int IFrameBatchDecoder.Lanes => 1;

    /// <summary>Iteration limit of a first attempt (a <see cref="Run"/> after <see cref="Load"/> or a restart).</summary>
    public int MaxIterations { get; set; }

    /// <summary>Iteration limit of an attempt resumed after <see cref="Reveal"/>.</summary>
    public int ResumeIterations { get; set; } = 20;

    /// <summary>After this many failed attempts in a row the next one starts over from the channel (0 = always resume).</summary>
    public int RestartAfterFailures { get; set; } = 4;

    /// <summary>Clears every frame-derived value (channel, posteriors, messages, syndrome, scratch).</summary>
    public void Wipe()
    {
        Array.Clear(_channel);
        Array.Clear(_posterior);
        Array.Clear(_messages);
        Array.Clear(_syndromeSigns);
        Array.Clear(_q);
        Array.Clear(_tanh);
        Array.Clear(_prefix);
        _fresh = true;
        _failedRuns = 0;
        _iterations = 0;
    }

    /// <summary>Tests: whether every array that held frame data is all zeros (what <see cref="Wipe"/> promises).</summary>
    internal bool HoldsNoFrameData() =>
        _channel.All(v => v == 0) && _posterior.All(v => v == 0) && _messages.All(v => v == 0) && _syndromeSigns.All(v => v == 0)
        && _q.All(v => v == 0) && _tanh.All(v => v == 0) && _prefix.All(v => v == 0);

    public void Load(int lane, ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome)
    {
        CheckLane(lane);
        channelLlr[.._channel.Length].CopyTo(_channel);
        for (var c = 0; c < _channel.Length; c++) SetPosterior(c, _channel[c]);
        for (var r = 0; r < _syndromeSigns.Length; r++)
            _syndromeSigns[r] = ((syndrome[r >> 6] >> (r & 63)) & 1) != 0 ? SignBit : 0u;
        _fresh = true;
        _failedRuns = 0;
    }

    /// <summary>Known bits: channel +-<see cref="ChannelLlr.Known"/>, posterior moved by the change; messages kept.</summary>
    public void Reveal(int lane, ReadOnlySpan<int> columns, ReadOnlySpan<ulong> values)
    {
        CheckLane(lane);
        for (var i = 0; i < columns.Length; i++)
        {
            var c = columns[i];
            var known = ((values[i >> 6] >> (i & 63)) & 1) == 0 ? ChannelLlr.Known : -ChannelLlr.Known;
            SetPosterior(c, GetPosterior(c) + known - _channel[c]);
            _channel[c] = known;
        }
    }

    /// <summary>Decodes (first call after Load) or resumes (after Reveal); returns 1 when the syndrome is matched.</summary>
    public uint Run(uint laneMask)
    {
        if ((laneMask & 1) == 0) return 0;
        if (!_fresh && RestartAfterFailures > 0 && _failedRuns >= RestartAfterFailures)
        {
            for (var c = 0; c < _channel.Length; c++) SetPosterior(c, _channel[c]);
            _fresh = true;
            _failedRuns = 0;
        }
        var limit = _fresh ? MaxIterations : ResumeIterations;
        if (_fresh) Array.Clear(_messages);
        _fresh = false;
        for (var iteration = 1; iteration <= limit; iteration++)
        {
            if (UpdateLayers() && SyndromeMatches())
            {
                _iterations = iteration;
                return 1;
            }
        }
        _iterations = limit;
        _failedRuns++;
        return 0;
    }

    public int Iterations(int lane) => _iterations;

    /// <summary>The hard decision (sign bit of the posterior set = bit 1, as the parity checks count it).</summary>
    public void CopyDecoded(int lane, Span<ulong> codeword)
    {
        CheckLane(lane);
        codeword[..SparseParityCheckMatrix.WordsFor(_channel.Length)].Clear();
        for (var j = 0; j < _code.BaseColumns; j++)
        {
            var at = j * Slot + (-_phase[j] & (Z - 1));
            uint bits = 0;
            for (var g = 0; g < Groups; g++)
                bits |= Vector256.Create(_posterior.AsSpan(at + 8 * g, 8)).ExtractMostSignificantBits() << (8 * g);
            codeword[j >> 1] |= (ulong)bits << ((j & 1) * 32);
        }
    }

    /// <summary>Exact check of the current hard decision against the syndrome (columns at their between-iteration phases).</summary>
    private bool SyndromeMatches()
    {
        for (var layer = 0; layer < _code.BaseRows; layer++)
        {
            for (var g = 0; g < Groups; g++)
            {
                var parity = Vector256.Create(_syndromeSigns.AsSpan(layer * Z + 8 * g, 8));
                for (var e = _layerStart[layer]; e < _layerStart[layer + 1]; e++)
                {
                    var j = _blockColumn[e];
                    parity ^= Vector256.Create(_posterior.AsSpan(j * Slot + ((_shift[e] - _phase[j]) & (Z - 1)) + 8 * g, 8)).AsUInt32();
                }
                if (parity.ExtractMostSignificantBits() != 0) return false;
            }
        }
        return true;
    }

    /// <summary>One iteration over all layers; true when every layer's checks held right after its update.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool UpdateLayers()
    {
        var unsatisfied = 0;
        var one = Vector256<float>.One;
        var maxProduct = Vector256.Create(MaxProduct);
        var signBit = Vector256.Create(SignBit);
        ref var posterior = ref _posterior[0];
        ref var messages = ref _messages[0];
        ref var q = ref _q[0];
        ref var tanh = ref _tanh[0];
        ref var prefix = ref _prefix[0];
        ref var syndrome = ref _syndromeSigns[0];
        for (var layer = 0; layer < _code.BaseRows; layer++)
        {
            var start = _layerStart[layer];
            var degree = _layerStart[layer + 1] - start;
            var layerFails = false;
            for (var g = 0; g < Groups; g++)
            {
                var lane = (nuint)(8 * g);
                var sign = Vector256.LoadUnsafe(ref syndrome, (nuint)(layer * Z) + lane);
                var product = one;
                for (var k = 0; k < degree; k++)
                {
                    var e = start + k;
                    var at = (nuint)(k * Z) + lane;
                    var value = Vector256.LoadUnsafe(ref posterior, (nuint)_load[e] + lane) - Vector256.LoadUnsafe(ref messages, (nuint)(e * Z) + lane);
                    value.StoreUnsafe(ref q, at);
                    sign ^= value.AsUInt32();
                    var decay = ExpOfNegative(Vector256.Abs(value));
                    var t = (one - decay) / (one + decay);
                    product.StoreUnsafe(ref prefix, at);
                    t.StoreUnsafe(ref tanh, at);
                    product *= t;
                }
                var suffix = one;
                var parity = Vector256.LoadUnsafe(ref syndrome, (nuint)(layer * Z) + lane);
                for (var k = degree - 1; k >= 0; k--)
                {
                    var e = start + k;
                    var at = (nuint)(k * Z) + lane;
                    var value = Vector256.LoadUnsafe(ref q, at);
                    var p = Vector256.Min(Vector256.LoadUnsafe(ref prefix, at) * suffix, maxProduct);
                    suffix *= Vector256.LoadUnsafe(ref tanh, at);
                    var magnitude = LogAtLeastOne((one + p) / (one - p));
                    var message = (magnitude.AsUInt32() | ((sign ^ value.AsUInt32()) & signBit)).AsSingle();
                    message.StoreUnsafe(ref messages, (nuint)(e * Z) + lane);
                    var updated = value + message;
                    parity ^= updated.AsUInt32();
                    // Kept in q until every group has read its posteriors: the slot is rewritten at a new phase.
                    updated.StoreUnsafe(ref q, at);
                }
                if ((parity & signBit) != Vector256<uint>.Zero) layerFails = true;
            }
            for (var k = 0; k < degree; k++)
            {
                // Lane r is variable (r + s) mod Z: written as it is to both copies, the column's phase becomes s.
                var slot = (nuint)(_load[start + k] & ~(Slot - 1));
                for (var g = 0; g < Groups; g++)
                {
                    var updated = Vector256.LoadUnsafe(ref q, (nuint)(k * Z + 8 * g));
                    updated.StoreUnsafe(ref posterior, slot + (nuint)(8 * g));
                    updated.StoreUnsafe(ref posterior, slot + (nuint)(Z + 8 * g));
                }
            }
            if (layerFails) unsatisfied++;
        }
        return unsatisfied == 0;
    }

    /// <summary>
    /// e^-a for a &gt;= 0 (relative error below 4e-6, measured; bottoms out at 2^-126 from a = 87.3 on, never 0): 2^x with x = -a log2(e) split into the nearest
    /// integer n (exponent bits) and f in [-1/2, 1/2] (Taylor series of 2^f to degree 6). Plain IEEE operations, so every
    /// machine computes the same value (the runtime's Vector256.Exp is about twice as slow here).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpOfNegative(Vector256<float> a)
    {
        var x = Vector256.Max(a * Vector256.Create(-1.442695041f), Vector256.Create(-126f));
        var n = Vector256.Floor(x + Vector256.Create(0.5f));
        var f = (x - n) * Vector256.Create(0.6931471806f);
        var p = Vector256.Create(1f / 720);
        p = p * f + Vector256.Create(1f / 120);
        p = p * f + Vector256.Create(1f / 24);
        p = p * f + Vector256.Create(1f / 6);
        p = p * f + Vector256.Create(0.5f);
        p = p * f + Vector256<float>.One;
        p = p * f + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    /// <summary>
    /// ln y for finite y &gt;= 1 (absolute error below 1.5e-6, relative below 2.5e-7, measured): y = 2^e m with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s),
    /// s = (m - 1) / (m + 1), |s| &lt;= 0.172, by its series to s^9.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LogAtLeastOne(Vector256<float> y)
    {
        var bits = y.AsInt32();
        var exponent = Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127);
        var m = ((bits & Vector256.Create(0x007F_FFFF)) | Vector256.Create(0x3F80_0000)).AsSingle();
        var high = Vector256.GreaterThan(m, Vector256.Create(1.414213562f));
        m = Vector256.ConditionalSelect(high, m * Vector256.Create(0.5f), m);
        exponent -= high.AsInt32();
        var s = (m - Vector256<float>.One) / (m + Vector256<float>.One);
        var s2 = s * s;
        var series = Vector256.Create(2f / 9);
        series = series * s2 + Vector256.Create(2f / 7);
        series = series * s2 + Vector256.Create(2f / 5);
        series = series * s2 + Vector256.Create(2f / 3);
        series = series * s2 + Vector256.Create(2f);
        return Vector256.ConvertToSingle(exponent) * Vector256.Create(0.6931471806f) + series * s;
    }

    private int Position(int column)
    {
        var j = column / Z;
        return j * Slot + ((column % Z - _phase[j]) & (Z - 1));
    }

    private float GetPosterior(int column) => _posterior[Position(column)];

    private void SetPosterior(int column, float value)
    {
        var at = Position(column);
        _posterior[at] = value;
        _posterior[at + Z] = value;
    }

    private static void CheckLane(int lane)
    {
        if (lane != 0) throw new ArgumentOutOfRangeException(nameof(lane), "the quasi-cyclic decoder holds one frame (lane 0)");
    }
}
