using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Layered offset min-sum on 8-bit saturated messages for 32 frames at once: byte k of every 32-byte vector
/// belongs to frame (lane) k, so each edge update is a handful of AVX2 instructions for all 32 frames
/// (interleaved layout: posterior[column * 32 + lane], message[edge * 32 + lane]). LLRs are quantised as
/// round(llr * <see cref="Scale"/>) clamped to +-127; the offset is subtracted from both minima (offset
/// min-sum, Chen-Fossorier 2002). The hard decision of a column for all lanes is one MoveMask, so the syndrome
/// check of all 32 frames costs one XOR per edge; a lane that satisfies its syndrome is frozen (its word
/// copied out) and the batch stops when every active lane has. Needs AVX2 (<see cref="IsSupported"/>).
/// </summary>
public sealed class QuantizedMinSumBatchDecoder : IFrameBatchDecoder
{
    public const int LaneCount = 32;

    int IFrameBatchDecoder.Lanes => LaneCount;


    private readonly SparseParityCheckMatrix _matrix;
    private readonly sbyte[] _channel;
    private readonly sbyte[] _posterior;
    private readonly sbyte[] _messages;
    private readonly sbyte[] _q;
    private readonly sbyte[] _syndromeSigns;
    private readonly uint[] _syndromeMask;
    private readonly uint[] _hard;
    private readonly ulong[][] _decoded;
    private readonly int[] _iterations;
    private uint _fresh;

    public QuantizedMinSumBatchDecoder(SparseParityCheckMatrix matrix, int maxIterations = 40, float offset = 1f, float scale = 2f)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("the 8-bit batch min-sum decoder needs AVX2");
        _matrix = matrix;
        MaxIterations = maxIterations;
        Scale = scale;
        OffsetSteps = OffsetStepsFor(offset, Scale);
        _channel = new sbyte[matrix.Columns * LaneCount];
        _posterior = new sbyte[matrix.Columns * LaneCount];
        _messages = new sbyte[matrix.Edges * LaneCount];
        var maxDegree = 0;
        for (var r = 0; r < matrix.Rows; r++) maxDegree = Math.Max(maxDegree, matrix.RowDegree(r));
        if (maxDegree > 255) throw new ArgumentException("check degrees above 255 are not supported", nameof(matrix));
        _q = new sbyte[maxDegree * LaneCount];
        _syndromeSigns = new sbyte[matrix.Rows * LaneCount];
        _syndromeMask = new uint[matrix.Rows];
        _hard = new uint[matrix.Columns];
        _decoded = new ulong[LaneCount][];
        for (var lane = 0; lane < LaneCount; lane++) _decoded[lane] = new ulong[SparseParityCheckMatrix.WordsFor(matrix.Columns)];
        _iterations = new int[LaneCount];
    }

    public static bool IsSupported => Avx2.IsSupported;

    public SparseParityCheckMatrix Matrix => _matrix;

    /// <summary>Iteration limit of a first attempt (a <see cref="Run"/> after Load).</summary>
    public int MaxIterations { get; set; }

    /// <summary>
    /// Iteration limit of a resumed attempt (after Reveal): the messages are already close, and a batch runs
    /// for all 32 lanes even when one is pending, so blind rounds stay short.
    /// </summary>
    public int ResumeIterations { get; set; } = 15;

    /// <summary>Offset beta in quantisation steps.</summary>
    public byte OffsetSteps { get; }

    /// <summary>Quantisation steps per unit of LLR.</summary>
    public float Scale { get; }

    public sbyte Quantize(float llr) => Quantize(llr, Scale);

    /// <summary>The 8-bit message of an LLR at <paramref name="scale"/> steps per LLR unit (shared with <see cref="QuasiCyclicMinSumDecoder"/>).</summary>
    internal static sbyte Quantize(float llr, float scale) => (sbyte)Math.Clamp(MathF.Round(llr * scale), -127f, 127f);

    /// <summary>The min-sum offset in quantisation steps.</summary>
    internal static byte OffsetStepsFor(float offset, float scale) => (byte)Math.Clamp((int)Math.Round(offset * scale), 0, 127);

    /// <summary>All frame-derived values zero (channel, posteriors, messages, syndromes, decoded words) in every lane.</summary>
    public void Wipe()
    {
        Array.Clear(_channel);
        Array.Clear(_posterior);
        Array.Clear(_messages);
        Array.Clear(_q);
        Array.Clear(_syndromeSigns);
        Array.Clear(_syndromeMask);
        Array.Clear(_hard);
        foreach (var word in _decoded) Array.Clear(word);
        Array.Clear(_iterations);
        _fresh = 0;
    }

    public void Load(int lane, ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome)
    {
        var columns = _matrix.Columns;
        for (var c = 0; c < columns; c++)
        {
            var value = Quantize(channelLlr[c]);
            _channel[c * LaneCount + lane] = value;
            _posterior[c * LaneCount + lane] = value;
        }
        var bit = 1u << lane;
        for (var r = 0; r < _matrix.Rows; r++)
        {
            var s = (syndrome[r >> 6] >> (r & 63)) & 1;
            _syndromeSigns[r * LaneCount + lane] = s != 0 ? (sbyte)-128 : (sbyte)0;
            _syndromeMask[r] = s != 0 ? _syndromeMask[r] | bit : _syndromeMask[r] & ~bit;
        }
        _fresh |= bit;
    }

    /// <summary>Known bits: channel +-127, posterior moved by the change (messages kept: the next Run resumes).</summary>
    public void Reveal(int lane, ReadOnlySpan<int> columns, ReadOnlySpan<ulong> values)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var at = columns[i] * LaneCount + lane;
            var known = ((values[i >> 6] >> (i & 63)) & 1) == 0 ? (sbyte)127 : (sbyte)-127;
            _posterior[at] = (sbyte)Math.Clamp(_posterior[at] + known - _channel[at], -127, 127);
            _channel[at] = known;
        }
    }

    public int Iterations(int lane) => _iterations[lane];

    public void CopyDecoded(int lane, Span<ulong> codeword) => _decoded[lane].CopyTo(codeword);

    /// <summary>Decodes or resumes the lanes in <paramref name="laneMask"/>; returns those that satisfy their syndrome.</summary>
    public uint Run(uint laneMask)
    {
        var limit = (_fresh & laneMask) != 0 ? MaxIterations : ResumeIterations;
        ClearFreshMessages();
        uint converged = 0;
        var active = laneMask;
        for (var lane = 0; lane < LaneCount; lane++) if ((laneMask & (1u << lane)) != 0) _iterations[lane] = limit;
        for (var iteration = 1; iteration <= limit && active != 0; iteration++)
        {
            UpdateAllChecks();
            var satisfied = active & ~UnsatisfiedLanes(active);
            if (satisfied == 0) continue;
            for (var lane = 0; lane < LaneCount; lane++)
            {
                if ((satisfied & (1u << lane)) == 0) continue;
                _iterations[lane] = iteration;
                FreezeLane(lane);
            }
            converged |= satisfied;
            active &= ~satisfied;
        }
        return converged;
    }

    private void ClearFreshMessages()
    {
        if (_fresh == 0) return;
        if (_fresh == uint.MaxValue)
        {
            Array.Clear(_messages);
        }
        else
        {
            for (var lane = 0; lane < LaneCount; lane++)
            {
                if ((_fresh & (1u << lane)) == 0) continue;
                for (var e = lane; e < _messages.Length; e += LaneCount) _messages[e] = 0;
            }
        }
        _fresh = 0;
    }

    private void UpdateAllChecks()
    {
        var rowStart = _matrix.RowStart;
        var rowColumns = _matrix.RowColumns;
        ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
        ref var messages = ref MemoryMarshal.GetArrayDataReference(_messages);
        ref var q = ref MemoryMarshal.GetArrayDataReference(_q);
        ref var signs = ref MemoryMarshal.GetArrayDataReference(_syndromeSigns);
        var offset = Vector256.Create(OffsetSteps);
        var limit = Vector256.Create((byte)127);
        var one = Vector256.Create((sbyte)1);
        for (var check = 0; check < _matrix.Rows; check++)
        {
            var start = rowStart[check];
            var degree = rowStart[check + 1] - start;
            var min1 = Vector256.Create((byte)255);
            var min2 = min1;
            var minIndex = Vector256<byte>.Zero;
            var sign = Vector256.LoadUnsafe(ref signs, (nuint)(check * LaneCount));
            for (var k = 0; k < degree; k++)
            {
                var e = start + k;
                var column = rowColumns[e];
                var value = Avx2.SubtractSaturate(
                    Vector256.LoadUnsafe(ref posterior, (nuint)(column * LaneCount)),
                    Vector256.LoadUnsafe(ref messages, (nuint)(e * LaneCount)));
                value.StoreUnsafe(ref q, (nuint)(k * LaneCount));
                sign ^= value;
                var magnitude = Avx2.Abs(value);
                var newMin1 = Avx2.Min(magnitude, min1);
                min2 = Avx2.Min(min2, Avx2.Max(magnitude, min1));
                var isNew = ~Avx2.CompareEqual(newMin1, min1);
                minIndex = Avx2.BlendVariable(minIndex, Vector256.Create((byte)k), isNew);
                min1 = newMin1;
            }
            var m1 = Avx2.Min(Avx2.SubtractSaturate(min1, offset), limit).AsSByte();
            var m2 = Avx2.Min(Avx2.SubtractSaturate(min2, offset), limit).AsSByte();
            for (var k = 0; k < degree; k++)
            {
                var e = start + k;
                var column = rowColumns[e];
                var value = Vector256.LoadUnsafe(ref q, (nuint)(k * LaneCount));
                var atMin = Avx2.CompareEqual(minIndex, Vector256.Create((byte)k)).AsSByte();
                var magnitude = Avx2.BlendVariable(m1, m2, atMin);
                // sign of the message = product of the others' signs (and the syndrome bit) = sign ^ own sign.
                var message = Avx2.Sign(magnitude, (sign ^ value) | one);
                message.StoreUnsafe(ref messages, (nuint)(e * LaneCount));
                Avx2.AddSaturate(value, message).StoreUnsafe(ref posterior, (nuint)(column * LaneCount));
            }
        }
    }

    /// <summary>
    /// Lanes (bit k = lane k) whose hard decision violates at least one check; stops as soon as every lane of
    /// <paramref name="active"/> has a violated check (early iterations then cost a few rows, not all).
    /// </summary>
    private uint UnsatisfiedLanes(uint active)
    {
        ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
        for (var c = 0; c < _hard.Length; c++)
            _hard[c] = (uint)Avx2.MoveMask(Vector256.LoadUnsafe(ref posterior, (nuint)(c * LaneCount)));
        var rowStart = _matrix.RowStart;
        var rowColumns = _matrix.RowColumns;
        uint failed = 0;
        for (var r = 0; r < _matrix.Rows; r++)
        {
            var parity = _syndromeMask[r];
            for (var e = rowStart[r]; e < rowStart[r + 1]; e++) parity ^= _hard[rowColumns[e]];
            failed |= parity;
            if ((failed & active) == active) break;
        }
        return failed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FreezeLane(int lane)
    {
        var word = _decoded[lane];
        Array.Clear(word);
        for (var c = 0; c < _hard.Length; c++) word[c >> 6] |= (ulong)((_hard[c] >> lane) & 1) << (c & 63);
    }
}
