using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>Check-node rule of <see cref="QuasiCyclicMinSumDecoder"/>.</summary>
public enum CheckUpdate
{
    /// <summary>Offset min-sum: both minima minus the offset.</summary>
    OffsetMinSum,

    /// <summary>
    /// Self-corrected offset min-sum (Savin, ISIT 2008): a variable-to-check message whose sign differs from the
    /// one sent on the same edge in the previous iteration (when that was non-zero) is sent as 0 (erased); the
    /// posterior still adds the unerased message.
    /// </summary>
    SelfCorrected,
}

/// <summary>
/// Layered offset min-sum for one frame of a quasi-cyclic code, on 8-bit saturated messages with the same
/// quantisation as <see cref="QuantizedMinSumBatchDecoder"/> (round(llr * Scale) clamped to +-127, offset
/// subtracted from both minima, saturating adds). A layer is one block row: its Z checks touch disjoint
/// variables (each circulant is a permutation), so they are updated together. With Z = 32 and AVX2 one
/// circulant is one Vector256&lt;sbyte&gt;: lane r holds check iZ + r, whose variable in block column j is
/// jZ + (r + s) mod Z. Each block column keeps its 32 posteriors twice in one 64-byte cache line, rotated by
/// a phase p_j (byte k holds variable jZ + (k + p_j) mod Z), so a circulant of shift s is one load at byte
/// (s - p_j) mod Z of the line, and the updated vector is written back as it is (two aligned stores), which
/// makes s the column's new phase. The layer order fixes each circulant's load offset (precomputed), and between
/// iterations every column sits at the phase its last circulant left. The SIMD path keeps 16 bytes per circulant
/// (load offset, message sign bits, self-correction bits) and 96 per block row (m1, m2, minimum index) instead of
/// the messages themselves: the messages are rebuilt from them, and the state of a 10^5-column code stays near the
/// core's L2 cache. The portable path (no AVX2, or Z != 32) runs the same arithmetic check by check on a plain
/// array with one int8 per message and gives bit-identical results.
/// <para>
/// Early stop: while a layer is updated the parity of its new hard decisions against the syndrome costs one
/// XOR per circulant; only when every layer of an iteration was satisfied is the full syndrome checked.
/// State (messages, posteriors) survives between <see cref="Run"/> calls, so a blind round resumes after
/// <see cref="Reveal"/>. Nothing is allocated after construction.
/// </para>
/// </summary>
public sealed class QuasiCyclicMinSumDecoder : IFrameBatchDecoder
{
    /// <summary>Bytes per block column in the SIMD posterior layout: the Z posteriors twice, one cache line.</summary>
    private const int SimdSlot = 64;

    private const int VectorZ = 32;

    /// <summary>
    /// The kernel asks for the posterior line of the circulant this many places ahead (two to three block rows of the
    /// long codes) while it works on the current one, so that line is in L1 when its turn comes: the 200 kB of posterior
    /// lines do not fit in L1, and each circulant's chain (its load, the erasure, the minima) waits on that load.
    /// 16, 48 and 64 places measured slower (docs/benchmarks/pipeline.md).
    /// </summary>
    private const int PrefetchAhead = 32;

    /// <summary>SIMD per-layer record: syndrome signs, m1, m2 (offset magnitudes), index of the minimum; 32 bytes each.</summary>
    private const int LayerBytes = 4 * VectorZ;

    /// <summary>
    /// SIMD state of one circulant: 16 bytes instead of the 64 of two int8 vectors, so a 10^5-column decoder holds about
    /// 0.6 MB instead of 1.3 MB (L2 is 0.5 MB per core here). Its check-to-variable message is rebuilt from the
    /// layer's m1/m2/minimum index and <see cref="MessageSigns"/>; self-correction needs only whether the last
    /// variable-to-check message was negative, positive or 0.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct EdgeState
    {
        /// <summary>Byte offset of the circulant's 32-byte load in the posterior lines; its line is Load &amp; ~63.</summary>
        public int Load;
        /// <summary>Bit r: the check-to-variable message of lane r is negative.</summary>
        public uint MessageSigns;
        /// <summary>SelfCorrected, bit r: the last variable-to-check message of lane r was negative.</summary>
        public uint SentNegative;
        /// <summary>SelfCorrected, bit r: the last variable-to-check message of lane r was positive (neither bit: it was 0).</summary>
        public uint SentPositive;
    }

    private readonly QuasiCyclicCode _code;
    private readonly int _z;
    private readonly int[] _layerStart;
    private readonly int[] _blockColumn;
    private readonly int[] _shift;
    /// <summary>SIMD layout: each block column's phase between iterations (the shift of its last circulant in layer order).</summary>
    private readonly int[] _phase;
    private readonly int _lineStart;
    private readonly sbyte[] _channel;
    private readonly sbyte[] _posterior;
    private readonly sbyte[] _syndromeSigns;
    private readonly sbyte[] _q;
    /// <summary>Portable path: check-to-variable message per edge; empty on the SIMD path (see <see cref="EdgeState"/>).</summary>
    private readonly sbyte[] _messages;
    /// <summary>Portable path, SelfCorrected: the variable-to-check message each edge sent last (after erasure); empty otherwise.</summary>
    private readonly sbyte[] _sent;
    /// <summary>SIMD path: per circulant its posterior position and the sign bits of its messages.</summary>
    private readonly EdgeState[] _edges;
    /// <summary>SIMD path: per block row syndrome signs, the two message magnitudes and the minimum's index (<see cref="LayerBytes"/>).</summary>
    private readonly sbyte[] _layers;
    private readonly int _layersStart;
    /// <summary>SIMD path, SelfCorrected: this layer's variable-to-check messages after erasure.</summary>
    private readonly sbyte[] _sentNow;
    /// <summary>SIMD path: 32 bytes of k for each position k in a block row (loads instead of vector adds in the kernel).</summary>
    private readonly sbyte[] _positions;
    /// <summary>SIMD path: offsets of the 64-byte aligned starts of the scratch rows (no 32-byte access splits a cache line).</summary>
    private readonly int _qStart, _sentNowStart, _positionsStart;
    private bool _fresh;
    /// <summary>No layer was updated since the messages were last cleared (construction, <see cref="Wipe"/>): a first attempt
    /// need not clear 0.4 MB again (the reconciler wipes a pooled decoder after each frame, then loads the next).</summary>
    private bool _messagesClear = true;
    private int _failedRuns;
    private int _iterations;

    /// <param name="matrix">The lifted matrix (<see cref="QuasiCyclicCode.ToMatrix"/>) when the caller already holds it; built otherwise.</param>
    /// <param name="useSimd">Null: AVX2 when available and Z = 32. False forces the portable path (tests compare both).</param>
    public QuasiCyclicMinSumDecoder(QuasiCyclicCode code, SparseParityCheckMatrix? matrix = null, int maxIterations = 50,
        float offset = 1f, float scale = 2f, bool? useSimd = null, CheckUpdate checkUpdate = CheckUpdate.OffsetMinSum)
    {
        ArgumentNullException.ThrowIfNull(code);
        _code = code;
        _z = code.LiftingSize;
        Matrix = matrix ?? code.ToMatrix();
        if (Matrix.Rows != code.Rows || Matrix.Columns != code.Columns)
            throw new ArgumentException("the matrix is not the lifting of this code", nameof(matrix));
        int maxDegree = 0, minDegree = int.MaxValue;
        for (var i = 0; i < code.BaseRows; i++)
        {
            maxDegree = Math.Max(maxDegree, code.ColumnsOfBaseRow(i).Length);
            minDegree = Math.Min(minDegree, code.ColumnsOfBaseRow(i).Length);
        }
        // The SIMD check update keeps the position of a row's smallest message in one byte, and its loops test at their ends.
        var simdPossible = Avx2.IsSupported && _z == VectorZ && maxDegree <= byte.MaxValue && minDegree >= 1;
        if (useSimd == true && !simdPossible)
            throw new PlatformNotSupportedException("the SIMD path needs AVX2, Z = 32 and block rows of 1 to 255 circulants");
        UsesSimd = useSimd ?? simdPossible;
        MaxIterations = maxIterations;
        Scale = scale;
        OffsetSteps = QuantizedMinSumBatchDecoder.OffsetStepsFor(offset, scale);

        _layerStart = new int[code.BaseRows + 1];
        _blockColumn = new int[code.Circulants];
        _shift = new int[code.Circulants];
        for (var i = 0; i < code.BaseRows; i++)
        {
            var columns = code.ColumnsOfBaseRow(i);
            columns.CopyTo(_blockColumn.AsSpan(_layerStart[i]));
            code.ShiftsOfBaseRow(i).CopyTo(_shift.AsSpan(_layerStart[i]));
            _layerStart[i + 1] = _layerStart[i] + columns.Length;
        }
        _channel = new sbyte[code.Columns];
        _phase = new int[code.BaseColumns];
        _syndromeSigns = new sbyte[code.Rows];
        CheckRule = checkUpdate;
        if (UsesSimd)
        {
            _posterior = AllocateLines(code.BaseColumns * SimdSlot, out _lineStart);
            _layers = AllocateLines(code.BaseRows * LayerBytes, out _layersStart);
            // PrefetchAhead spare records (load offset 0) past the last circulant, so the kernel's look-ahead stays in the array.
            _edges = new EdgeState[code.Circulants + PrefetchAhead];
            _q = AllocateLines(maxDegree * _z, out _qStart);
            _sentNow = AllocateLines(maxDegree * _z, out _sentNowStart);
            _positions = AllocateLines(maxDegree * _z, out _positionsStart);
            for (var k = 0; k < maxDegree; k++) _positions.AsSpan(_positionsStart + k * _z, _z).Fill(unchecked((sbyte)k));
            _messages = [];
            _sent = [];
            PlanRotations();
        }
        else
        {
            _posterior = new sbyte[code.Columns];
            _q = new sbyte[maxDegree * _z];
            _layers = [];
            _edges = [];
            _sentNow = [];
            _positions = [];
            _messages = new sbyte[code.Circulants * _z];
            _sent = checkUpdate == CheckUpdate.SelfCorrected ? new sbyte[_messages.Length] : [];
        }
    }

    /// <summary>A pinned array (never moves) and the offset of its first 64-byte boundary, so no load splits a line.</summary>
    private static sbyte[] AllocateLines(int bytes, out int start)
    {
        var array = GC.AllocateArray<sbyte>(bytes + SimdSlot, pinned: true);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        var address = handle.AddrOfPinnedObject();
        handle.Free();
        start = (int)((SimdSlot - address % SimdSlot) % SimdSlot);
        return array;
    }

    private void PlanRotations()
    {
        var load = new int[_code.Circulants];
        PlanRotations(_blockColumn, _shift, SimdSlot, _phase, load);
        for (var e = 0; e < load.Length; e++) _edges[e].Load = load[e];
    }

    /// <summary>
    /// The rotated posterior layout (this decoder's SIMD path and <see cref="QuasiCyclicSumProductDecoder"/>): the layer
    /// order fixes every column's phase when each circulant reads it, the shift of the column's previous circulant
    /// (cyclically; between iterations, its last one). So each circulant's load offset, <paramref name="slot"/> elements
    /// per block column holding its 32 values twice, is precomputed into <paramref name="load"/>, and the posteriors are
    /// kept at those between-iteration phases (<paramref name="phase"/>, one per block column) outside a run.
    /// </summary>
    internal static void PlanRotations(ReadOnlySpan<int> blockColumn, ReadOnlySpan<int> shift, int slot, Span<int> phase, Span<int> load)
    {
        var last = new int[phase.Length];
        Array.Fill(last, -1);
        for (var e = 0; e < blockColumn.Length; e++) last[blockColumn[e]] = e;
        for (var j = 0; j < last.Length; j++) phase[j] = last[j] < 0 ? 0 : shift[last[j]];
        var current = phase.ToArray();
        for (var e = 0; e < blockColumn.Length; e++)
        {
            var j = blockColumn[e];
            load[e] = j * slot + ((shift[e] - current[j]) & (VectorZ - 1));
            current[j] = shift[e];
        }
    }

    /// <summary>The check-node rule (offset min-sum or its self-corrected variant).</summary>
    public CheckUpdate CheckRule { get; }

    public SparseParityCheckMatrix Matrix { get; }

    int IFrameBatchDecoder.Lanes => 1;

    /// <summary>True when layers run as AVX2 vectors (Z = 32), false on the portable path.</summary>
    public bool UsesSimd { get; }

    /// <summary>Iteration limit of a first attempt (a <see cref="Run"/> after <see cref="Load"/>).</summary>
    public int MaxIterations { get; set; }

    /// <summary>Iteration limit of an attempt resumed after <see cref="Reveal"/>.</summary>
    public int ResumeIterations { get; set; } = 20;

    /// <summary>
    /// After this many failed attempts in a row the next one starts over (messages cleared, posteriors = channel,
    /// which now holds every revealed bit) with <see cref="MaxIterations"/>: a frame whose messages saturated on
    /// a wrong word cannot leave it by resuming, however many bits are revealed. 0 = always resume.
    /// </summary>
    public int RestartAfterFailures { get; set; } = 4;

    /// <summary>Offset beta in quantisation steps.</summary>
    public byte OffsetSteps { get; }

    /// <summary>Quantisation steps per unit of LLR.</summary>
    public float Scale { get; }

    public sbyte Quantize(float llr) => QuantizedMinSumBatchDecoder.Quantize(llr, Scale);

    /// <summary>Back to the state after construction (all frame-derived values zero); the structure (offsets, rotations) stays.</summary>
    public void Wipe()
    {
        Array.Clear(_channel);
        Array.Clear(_posterior);
        Array.Clear(_syndromeSigns);
        Array.Clear(_q);
        Array.Clear(_sentNow);
        Array.Clear(_layers);
        ClearMessages();
        _fresh = true;
        _failedRuns = 0;
        _iterations = 0;
        UnsatisfiedChecks = 0;
    }

    /// <summary>Starts a frame: channel LLRs of all columns and Bob's syndrome (only lane 0 exists).</summary>
    public void Load(int lane, ReadOnlySpan<float> channelLlr, ReadOnlySpan<ulong> syndrome)
    {
        CheckLane(lane);
        if (UsesSimd)
        {
            QuantizeSimd(channelLlr[.._channel.Length]);
        }
        else
        {
            for (var c = 0; c < _channel.Length; c++)
            {
                var value = Quantize(channelLlr[c]);
                _channel[c] = value;
                SetPosterior(c, value);
            }
        }
        if (UsesSimd)
        {
            LoadSyndromeSimd(syndrome);
        }
        else
        {
            for (var r = 0; r < _syndromeSigns.Length; r++)
                _syndromeSigns[r] = ((syndrome[r >> 6] >> (r & 63)) & 1) != 0 ? sbyte.MinValue : (sbyte)0;
        }
        _fresh = true;
        _failedRuns = 0;
    }

    /// <summary>
    /// The same as <see cref="Load"/> with the LLRs of a binary symmetric channel, but straight from packed bits (no float
    /// per column): column c is unknown (LLR 0) where <paramref name="unknown"/> has bit c, known (+-<see cref="ChannelLlr.Known"/>)
    /// where <paramref name="known"/> has it, else +-<paramref name="magnitude"/>; the sign is minus where <paramref name="bits"/>
    /// has bit c. The channel then holds three values and their negatives, so each block column's 32 bytes are a few selects
    /// of its 32 bits (about a tenth of the cost of quantising 32 floats, and no 400 kB LLR array per frame).
    /// </summary>
    public void LoadHard(int lane, ReadOnlySpan<ulong> bits, ReadOnlySpan<ulong> unknown, ReadOnlySpan<ulong> known, float magnitude,
        ReadOnlySpan<ulong> syndrome)
    {
        CheckLane(lane);
        var words = SparseParityCheckMatrix.WordsFor(_channel.Length);
        if (bits.Length < words || unknown.Length < words || known.Length < words)
            throw new ArgumentException($"bits and masks need {words} words each");
        var frameValue = Quantize(magnitude);
        var knownValue = Quantize(ChannelLlr.Known);
        if (UsesSimd)
        {
            LoadHardSimd(bits, unknown, known, frameValue, knownValue);
            LoadSyndromeSimd(syndrome);
        }
        else
        {
            for (var c = 0; c < _channel.Length; c++)
            {
                var bit = 1UL << (c & 63);
                var value = (unknown[c >> 6] & bit) != 0 ? (sbyte)0 : (known[c >> 6] & bit) != 0 ? knownValue : frameValue;
                if ((bits[c >> 6] & bit) != 0) value = (sbyte)-value;
                _channel[c] = value;
                SetPosterior(c, value);
            }
            for (var r = 0; r < _syndromeSigns.Length; r++)
                _syndromeSigns[r] = ((syndrome[r >> 6] >> (r & 63)) & 1) != 0 ? sbyte.MinValue : (sbyte)0;
        }
        _fresh = true;
        _failedRuns = 0;
    }

    /// <summary>Block column j's 32 channel bytes from bit word j of each mask (Z = 32), stored as <see cref="QuantizeSimd"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoadHardSimd(ReadOnlySpan<ulong> bits, ReadOnlySpan<ulong> unknown, ReadOnlySpan<ulong> known, sbyte frameValue, sbyte knownValue)
    {
        var (spread, select) = ExpandMasks();
        ref var channel = ref MemoryMarshal.GetArrayDataReference(_channel);
        ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
        var frame = Vector256.Create(frameValue);
        var knownMagnitude = Vector256.Create(knownValue);
        for (var j = 0; j < _code.BaseColumns; j++)
        {
            var shift = (j & 1) * 32;
            var magnitude = Avx2.BlendVariable(frame, knownMagnitude, Expand((uint)(known[j >> 1] >> shift), spread, select));
            magnitude = Avx2.AndNot(Expand((uint)(unknown[j >> 1] >> shift), spread, select), magnitude);
            var negative = Expand((uint)(bits[j >> 1] >> shift), spread, select);
            var bytes = (magnitude ^ negative) - negative;
            var at = (nuint)(j * VectorZ);
            bytes.StoreUnsafe(ref channel, at);
            var line = (nuint)(_lineStart + j * SimdSlot);
            bytes.StoreUnsafe(ref posterior, line);
            bytes.StoreUnsafe(ref posterior, line + VectorZ);
        }
        RotateLinesToPhases();
    }

    /// <summary>
    /// Each block column's line, written unrotated (the channel bytes twice), rotated to the column's phase: byte k must
    /// hold variable jZ + (k + phase) mod Z, i.e. the doubled line read at the phase. A pass of its own: read right after
    /// the two stores, the load spanning both cannot be forwarded from the store buffer and waited for them, column by
    /// column (about 70 cycles per column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RotateLinesToPhases()
    {
        ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
        for (var j = 0; j < _code.BaseColumns; j++)
        {
            var line = (nuint)(_lineStart + j * SimdSlot);
            var rotated = Vector256.LoadUnsafe(ref posterior, line + (nuint)_phase[j]);
            rotated.StoreUnsafe(ref posterior, line);
            rotated.StoreUnsafe(ref posterior, line + VectorZ);
        }
    }

    /// <summary>
    /// <see cref="Quantize"/> of 32 columns at a time (round half to even, as MathF.Round, then clamp), written to
    /// the channel and to both copies of the block column's line, rotated to the column's phase.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void QuantizeSimd(ReadOnlySpan<float> llr)
    {
        ref var source = ref MemoryMarshal.GetReference(llr);
        ref var channel = ref MemoryMarshal.GetArrayDataReference(_channel);
        ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
        var scale = Vector256.Create(Scale);
        var low = Vector256.Create(-127f);
        var high = Vector256.Create(127f);
        // packs interleave 128-bit halves: 32-bit groups come out as i0a i1a i2a i3a | i0b i1b i2b i3b.
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        for (var j = 0; j < _code.BaseColumns; j++)
        {
            var at = (nuint)(j * VectorZ);
            var i0 = Quantize8(Vector256.LoadUnsafe(ref source, at), scale, low, high);
            var i1 = Quantize8(Vector256.LoadUnsafe(ref source, at + 8), scale, low, high);
            var i2 = Quantize8(Vector256.LoadUnsafe(ref source, at + 16), scale, low, high);
            var i3 = Quantize8(Vector256.LoadUnsafe(ref source, at + 24), scale, low, high);
            var packed = Avx2.PackSignedSaturate(Avx2.PackSignedSaturate(i0, i1), Avx2.PackSignedSaturate(i2, i3));
            var bytes = Avx2.PermuteVar8x32(packed.AsInt32(), order).AsSByte();
            bytes.StoreUnsafe(ref channel, at);
            var line = (nuint)(_lineStart + j * SimdSlot);
            bytes.StoreUnsafe(ref posterior, line);
            bytes.StoreUnsafe(ref posterior, line + VectorZ);
        }
        RotateLinesToPhases();
    }

    /// <summary>Block row i's 32 syndrome bits (word i of 32 bits) as sign bytes, into the syndrome signs and the layer records.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LoadSyndromeSimd(ReadOnlySpan<ulong> syndrome)
    {
        var (spread, select) = ExpandMasks();
        var signBit = Vector256.Create(sbyte.MinValue);
        ref var signs = ref MemoryMarshal.GetArrayDataReference(_syndromeSigns);
        ref var layers = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_layers), _layersStart);
        for (var layer = 0; layer < _code.BaseRows; layer++)
        {
            var bits = (uint)(syndrome[layer >> 1] >> ((layer & 1) * 32));
            var bytes = Expand(bits, spread, select) & signBit;
            bytes.StoreUnsafe(ref signs, (nuint)(layer * VectorZ));
            bytes.StoreUnsafe(ref layers, (nuint)(layer * LayerBytes));
        }
    }

    /// <remarks>A NaN LLR carries no information: it becomes 0, as in the portable <see cref="Quantize(float)"/> (maxps would give -127).</remarks>
    private static Vector256<int> Quantize8(Vector256<float> llr, Vector256<float> scale, Vector256<float> low, Vector256<float> high)
    {
        var known = Avx.And(llr, Avx.CompareOrdered(llr, llr));
        return Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(Avx.RoundToNearestInteger(Avx.Multiply(known, scale)), low), high));
    }

    /// <summary>Known bits: channel +-127, posterior moved by the change; messages kept so the next Run resumes.</summary>
    public void Reveal(int lane, ReadOnlySpan<int> columns, ReadOnlySpan<ulong> values)
    {
        CheckLane(lane);
        for (var i = 0; i < columns.Length; i++)
        {
            var c = columns[i];
            var known = ((values[i >> 6] >> (i & 63)) & 1) == 0 ? (sbyte)127 : (sbyte)-127;
            SetPosterior(c, (sbyte)Math.Clamp(GetPosterior(c) + known - _channel[c], -127, 127));
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
        var first = _fresh;
        var limit = first ? MaxIterations : ResumeIterations;
        if (first && !_messagesClear) ClearMessages();
        _messagesClear = false;
        _fresh = false;
        if (limit <= 0)
        {
            _iterations = 0;
            _failedRuns++;
            return 0;
        }
        var extendBound = (int)(ExtendBelow * _syndromeSigns.Length);
        var fewest = int.MaxValue;
        var fewestAt = 0;
        for (var iteration = 1; ; iteration++)
        {
            var unsatisfied = UsesSimd ? UpdateLayersSimd() : UpdateLayersPortable();
            UnsatisfiedChecks = unsatisfied;
            if (unsatisfied == 0 && SyndromeMatches())
            {
                _iterations = iteration;
                return 1;
            }
            if (unsatisfied < fewest) (fewest, fewestAt) = (unsatisfied, iteration);
            if (iteration < limit) continue;
            // A first attempt at its limit goes on while it is nearly there and still converging.
            var converging = first && iteration < MaxIterations + ExtraIterations && unsatisfied <= extendBound
                && iteration - fewestAt < StallIterations;
            if (converging) continue;
            _iterations = iteration;
            _failedRuns++;
            return 0;
        }
    }

    /// <summary>A first attempt that has gone this many iterations without a new lowest unsatisfied-check count has stalled.</summary>
    public const int StallIterations = 3;

    /// <summary>
    /// Iterations a first attempt may run beyond <see cref="MaxIterations"/> while it is still converging: at most
    /// <see cref="ExtendBelow"/> of the checks unsatisfied and a new lowest count within the last <see cref="StallIterations"/>
    /// iterations (it stops at the first iteration where either fails). 0 = a hard limit. A frame decoding this slowly
    /// otherwise fails its first attempt a few iterations short and pays a blind round (leak, a round trip, a resume).
    /// "First attempt" = a run from cleared messages (after <see cref="Load"/>, or a restart after
    /// <see cref="RestartAfterFailures"/>); resumed attempts keep <see cref="ResumeIterations"/> as a hard limit.
    /// </summary>
    public int ExtraIterations { get; set; }

    /// <summary>Largest fraction of unsatisfied checks at which a first attempt is extended (<see cref="ExtraIterations"/>).</summary>
    public double ExtendBelow { get; set; } = 0.04;

    public int Iterations(int lane) => _iterations;

    /// <summary>Checks whose parity failed right after their layer's update in the last iteration run.</summary>
    public int UnsatisfiedChecks { get; private set; }

    /// <summary>All check-to-variable messages 0 and no variable-to-check message sent yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ClearMessages()
    {
        Array.Clear(_messages);
        Array.Clear(_sent);
        for (var e = 0; e < _edges.Length; e++)
        {
            ref var edge = ref _edges[e];
            edge.MessageSigns = 0;
            edge.SentNegative = 0;
            edge.SentPositive = 0;
        }
        for (var layer = 0; layer < _code.BaseRows && _layers.Length > 0; layer++)
            _layers.AsSpan(_layersStart + layer * LayerBytes + VectorZ, LayerBytes - VectorZ).Clear();
        _messagesClear = true;
    }

    /// <summary>The hard decision (posterior &lt; 0 is bit 1), Columns packed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyDecoded(int lane, Span<ulong> codeword)
    {
        CheckLane(lane);
        codeword[..SparseParityCheckMatrix.WordsFor(_channel.Length)].Clear();
        if (UsesSimd)
        {
            ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
            for (var j = 0; j < _code.BaseColumns; j++)
            {
                var bits = (uint)Avx2.MoveMask(Vector256.LoadUnsafe(ref posterior, (nuint)(_lineStart + j * SimdSlot + (-_phase[j] & 31))));
                codeword[j >> 1] |= (ulong)bits << ((j & 1) * 32);
            }
            return;
        }
        for (var c = 0; c < _channel.Length; c++)
            if (_posterior[c] < 0) codeword[c >> 6] |= 1UL << (c & 63);
    }

    /// <summary>Exact check of the current hard decision against the syndrome.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SyndromeMatches()
    {
        if (UsesSimd)
        {
            ref var posterior = ref MemoryMarshal.GetArrayDataReference(_posterior);
            ref var signs = ref MemoryMarshal.GetArrayDataReference(_syndromeSigns);
            for (var layer = 0; layer < _code.BaseRows; layer++)
            {
                var parity = Vector256.LoadUnsafe(ref signs, (nuint)(layer * VectorZ));
                for (var e = _layerStart[layer]; e < _layerStart[layer + 1]; e++)
                {
                    var j = _blockColumn[e];
                    parity ^= Vector256.LoadUnsafe(ref posterior, (nuint)(_lineStart + j * SimdSlot + ((_shift[e] - _phase[j]) & 31)));
                }
                if (Avx2.MoveMask(parity) != 0) return false;
            }
            return true;
        }
        for (var layer = 0; layer < _code.BaseRows; layer++)
        {
            for (var r = 0; r < _z; r++)
            {
                var parity = _syndromeSigns[layer * _z + r];
                for (var e = _layerStart[layer]; e < _layerStart[layer + 1]; e++)
                    parity ^= _posterior[_blockColumn[e] * _z + (r + _shift[e]) % _z];
                if (parity < 0) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// One iteration over all layers; returns the number of checks that failed right after their layer's update (0: every layer held). Per circulant the
    /// old message is rebuilt from the layer's m1/m2/minimum index and the edge's sign bits, and the new one stored as
    /// its sign bits (<see cref="EdgeState"/>); the arithmetic is the portable path's.
    /// </summary>
    private int UpdateLayersSimd() => CheckRule == CheckUpdate.SelfCorrected
        ? UpdateLayersSimd<SelfCorrectedRule>()
        : UpdateLayersSimd<OffsetRule>();

    private struct SelfCorrectedRule;

    private struct OffsetRule;

    /// <summary>The kernel, compiled once per rule (no per-circulant test of the rule); pointers walk the edges in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int UpdateLayersSimd<TRule>() where TRule : struct
    {
        var selfCorrected = typeof(TRule) == typeof(SelfCorrectedRule);
        var offset = Vector256.Create(OffsetSteps);
        var limit = Vector256.Create((byte)127);
        var one = Vector256.Create((sbyte)1);
        var (spread, select) = ExpandMasks();
        var spreadHigh = spread + Vector256.Create((byte)4);
        var unsatisfied = 0;
        var layerCount = _code.BaseRows;
        fixed (sbyte* posteriorArray = _posterior, layerArray = _layers, qArray = _q, sentNowArray = _sentNow, positionArray = _positions)
        fixed (EdgeState* edges = _edges)
        fixed (int* layerStart = _layerStart)
        {
            var posterior = posteriorArray + _lineStart;
            sbyte* q = qArray + _qStart, sentNow = sentNowArray + _sentNowStart;
            var positions = (byte*)(positionArray + _positionsStart);
            var record = layerArray + _layersStart;
            var edge = (byte*)edges;
            for (var layer = 0; layer < layerCount; layer++, record += LayerBytes)
            {
                // One induction variable per pass, the circulant's EdgeState address a: its 32-byte slot in a scratch row (q,
                // sentNow, positions) is at row + 2 (a - edge) (VectorZ = 2 * sizeof(EdgeState)), one addressing mode from a base
                // set per layer. Every block row has a circulant, so the loops test at their ends.
                var edgeEnd = edge + (nint)(layerStart[layer + 1] - layerStart[layer]) * sizeof(EdgeState);
                nint qRow = (nint)q - 2 * (nint)edge, sentRow = (nint)sentNow - 2 * (nint)edge, positionRow = (nint)positions - 2 * (nint)edge;
                var syndrome = Avx.LoadVector256(record);
                var oldM1 = Avx.LoadVector256(record + VectorZ);
                var oldM2 = Avx.LoadVector256(record + 2 * VectorZ);
                var oldIndex = Avx.LoadVector256((byte*)record + 3 * VectorZ);
                var min1 = Vector256.Create((byte)255);
                var min2 = min1;
                var minIndex = Vector256<byte>.Zero;
                var sign = syndrome;
                var a = edge;
                do
                {
                    var e = (EdgeState*)a;
                    var index = Avx.LoadVector256((byte*)(positionRow + 2 * (nint)a));
                    var negative = Expand(e->MessageSigns, spread, select);
                    var oldMagnitude = Avx2.BlendVariable(oldM1, oldM2, Avx2.CompareEqual(oldIndex, index).AsSByte());
                    var oldMessage = (oldMagnitude ^ negative) - negative;
                    Sse.Prefetch0(posterior + ((EdgeState*)a + PrefetchAhead)->Load);
                    var value = Avx2.SubtractSaturate(Avx.LoadVector256(posterior + e->Load), oldMessage);
                    Avx.Store((sbyte*)(qRow + 2 * (nint)a), value);
                    if (selfCorrected)
                    {
                        // Erase where the sign flipped since the last non-zero message on this edge: a negative value after a
                        // positive message, a non-negative one after a negative message (0 stays 0). The value's sign picks
                        // the byte of SentPositive or SentNegative holding the lane's bit, so four short steps (blend, and,
                        // compare, and-not) wait for the posterior load instead of a movemask-to-scalar-and-back round trip.
                        // Both words in one broadcast (SentPositive follows SentNegative): bytes 0-3 and 4-7 of each 128-bit half.
                        var sent = Vector256.Create(*(ulong*)&e->SentNegative).AsByte();
                        var sentByte = Avx2.BlendVariable(Avx2.Shuffle(sent, spread), Avx2.Shuffle(sent, spreadHigh), value.AsByte());
                        var erase = Avx2.CompareEqual(sentByte & select, select).AsSByte();
                        value = Avx2.AndNot(erase, value);
                        Avx.Store((sbyte*)(sentRow + 2 * (nint)a), value);
                    }
                    sign ^= value;
                    var magnitude = Avx2.Abs(value);
                    if (selfCorrected)
                    {
                        var negativeSent = (uint)Avx2.MoveMask(value);
                        e->SentNegative = negativeSent;
                        // Magnitudes are 0..128, so magnitude + 127 has its top bit set exactly where the sent message is non-zero.
                        e->SentPositive = (uint)Avx2.MoveMask(Avx2.Add(magnitude, Vector256.Create((byte)127))) & ~negativeSent;
                    }
                    var newMin1 = Avx2.Min(magnitude, min1);
                    min2 = Avx2.Min(min2, Avx2.Max(magnitude, min1));
                    minIndex = Avx2.BlendVariable(index, minIndex, Avx2.CompareEqual(newMin1, min1));
                    min1 = newMin1;
                    a += sizeof(EdgeState);
                }
                while (a < edgeEnd);
                var m1 = Avx2.Min(Avx2.SubtractSaturate(min1, offset), limit).AsSByte();
                var m2 = Avx2.Min(Avx2.SubtractSaturate(min2, offset), limit).AsSByte();
                Avx.Store(record + VectorZ, m1);
                Avx.Store(record + 2 * VectorZ, m2);
                Avx.Store((byte*)record + 3 * VectorZ, minIndex);
                // The message of an edge is m1 or m2 with the sign of (sign ^ own); the layer's part of that sign goes into
                // m1 and m2 once here (sign(sign(x, a), b) = x negated when exactly one of a, b is negative; never 0: | 1).
                var layerSign = sign | one;
                var signedM1 = Avx2.Sign(m1, layerSign);
                var signedM2 = Avx2.Sign(m2, layerSign);
                var parity = syndrome;
                a = edge;
                do
                {
                    var e = (EdgeState*)a;
                    var value = Avx.LoadVector256((sbyte*)(qRow + 2 * (nint)a));
                    var own = selfCorrected ? Avx.LoadVector256((sbyte*)(sentRow + 2 * (nint)a)) : value;
                    var atMin = Avx2.CompareEqual(minIndex, Avx.LoadVector256((byte*)(positionRow + 2 * (nint)a))).AsSByte();
                    var message = Avx2.Sign(Avx2.BlendVariable(signedM1, signedM2, atMin), own | one);
                    // A zero message keeps a zero magnitude whatever sign bit is stored.
                    e->MessageSigns = (uint)Avx2.MoveMask(message);
                    var updated = Avx2.AddSaturate(value, message);
                    parity ^= updated;
                    // Lane r is variable (r + s) mod Z: stored as it is (twice), the column's phase becomes s.
                    var line = posterior + ((nint)e->Load & ~(nint)(SimdSlot - 1));
                    Avx.Store(line, updated);
                    Avx.Store(line + VectorZ, updated);
                    a += sizeof(EdgeState);
                }
                while (a < edgeEnd);
                edge = edgeEnd;
                unsatisfied += BitOperations.PopCount((uint)Avx2.MoveMask(parity));
            }
        }
        return unsatisfied;
    }

    /// <summary>Constants of <see cref="Expand"/>: byte r/8 of the word to lane r, then lane r's bit r % 8.</summary>
    private static (Vector256<byte> Spread, Vector256<byte> Select) ExpandMasks() => (
        Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3),
        Vector256.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128));

    /// <summary>Bit r of <paramref name="bits"/> to lane r: all ones where set, 0 elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Expand(uint bits, Vector256<byte> spread, Vector256<byte> select)
    {
        var bytes = Avx2.Shuffle(Vector256.Create(bits).AsByte(), spread);
        return Avx2.CompareEqual(bytes & select, select).AsSByte();
    }

    /// <summary>The same arithmetic as <see cref="UpdateLayersSimd"/>, one check at a time (any Z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int UpdateLayersPortable()
    {
        var z = _z;
        var selfCorrected = CheckRule == CheckUpdate.SelfCorrected;
        var unsatisfied = 0;
        for (var layer = 0; layer < _code.BaseRows; layer++)
        {
            var start = _layerStart[layer];
            var degree = _layerStart[layer + 1] - start;
            for (var r = 0; r < z; r++)
            {
                var minima = CheckMinima.Empty;
                var syndrome = _syndromeSigns[layer * z + r];
                var sign = syndrome;
                for (var k = 0; k < degree; k++)
                {
                    var e = start + k;
                    var variable = _blockColumn[e] * z + (r + _shift[e]) % z;
                    var value = SaturateSByte(_posterior[variable] - _messages[e * z + r]);
                    _q[k] = value;
                    if (selfCorrected)
                    {
                        var previous = _sent[e * z + r];
                        if (previous != 0 && (value ^ previous) < 0) value = 0;
                        _sent[e * z + r] = value;
                    }
                    sign ^= value;
                    minima.Add(Math.Abs((int)value), k);
                }
                var m1 = CheckMinima.OffsetMagnitude(minima.Smallest, OffsetSteps);
                var m2 = CheckMinima.OffsetMagnitude(minima.Second, OffsetSteps);
                var parity = syndrome;
                for (var k = 0; k < degree; k++)
                {
                    var e = start + k;
                    var value = _q[k];
                    var own = selfCorrected ? _sent[e * z + r] : value;
                    var magnitude = k == minima.SmallestAt ? m2 : m1;
                    var message = (sbyte)((sign ^ own) < 0 ? -magnitude : magnitude);
                    _messages[e * z + r] = message;
                    var updated = SaturateSByte(value + message);
                    parity ^= updated;
                    _posterior[_blockColumn[e] * z + (r + _shift[e]) % z] = updated;
                }
                if (parity < 0) unsatisfied++;
            }
        }
        return unsatisfied;
    }

    private static sbyte SaturateSByte(int value) => (sbyte)Math.Clamp(value, sbyte.MinValue, sbyte.MaxValue);

    /// <summary>SIMD layout: byte of the first copy of <paramref name="column"/> in its block column's line.</summary>
    private int SimdPosition(int column)
    {
        var j = column / VectorZ;
        return _lineStart + j * SimdSlot + ((column % VectorZ - _phase[j]) & 31);
    }

    private sbyte GetPosterior(int column) => UsesSimd ? _posterior[SimdPosition(column)] : _posterior[column];

    private void SetPosterior(int column, sbyte value)
    {
        if (!UsesSimd)
        {
            _posterior[column] = value;
            return;
        }
        var at = SimdPosition(column);
        _posterior[at] = value;
        _posterior[at + VectorZ] = value;
    }

    private static void CheckLane(int lane)
    {
        if (lane != 0) throw new ArgumentOutOfRangeException(nameof(lane), "the quasi-cyclic decoder holds one frame (lane 0)");
    }
}
