using System.Numerics;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Quasi-cyclic progressive edge growth: PEG (Hu, Eleftheriou, Arnold 2005) run on the lifted Tanner graph
/// but placing whole Z x Z circulants (QC-PEG, as proposed by Z. Li and B. V. K. V. Kumar, Asilomar 2004).
/// Base columns are grown in ascending degree. For each new circulant of base column j the tree of the
/// lifted variable jZ is expanded; because the lifted graph is invariant under the cyclic shift of every
/// block, the Z variables of block j see the same tree, so placing the edge jZ - (iZ + r) for all of them
/// at once means the circulant (i, j) with shift s = (Z - r) mod Z.
/// <para>The tree is expanded on the base graph with one Z-bit mask per base node (bit a = lifted node
/// a of that block is reached); a circulant with shift s maps a check mask to a variable mask by rotating
/// it left by s, and a variable mask to a check mask by rotating right by s. So one level costs one
/// rotation per base edge on the frontier, not one step per lifted edge.</para>
/// <para>Choice of the check, as PEG: only base rows without a circulant in column j (at most one circulant
/// per base entry); if some of their checks stay unreachable, those; otherwise those reached last (the
/// longest new cycle). Among them the base row furthest below its target degree, then a seeded random row
/// and offset. The first circulant of a column goes to the least filled row with a seeded random shift.
/// A cycle that uses the new circulant twice is at least 8 long (both of its checks lie in a row the
/// column does not yet touch, so each is at least 3 edges away), so girth 6 is decided by the tree alone.
/// Cycles through several copies of the new circulant are why the candidates are then ranked by their
/// shortest such cycle (a base row the tree never touched first; see KeepLongestRepeatedCycles): without
/// that rule the degree-2 columns closed base cycles whose lifts are low-weight codewords made of degree-2
/// variables (weight 4 in a rate-0.75 code), and even float sum-product failed on 5 % of frames at f = 1.8.</para>
/// Deterministic for a given profile, Z and seed.
/// </summary>
public sealed class QuasiCyclicPegBuilder
{
    /// <summary>Largest Z: one ulong mask per base node.</summary>
    public const int MaxLiftingSize = 64;

    /// <summary>Columns up to this degree score every allowed check when the tree covers them all (see ExpandTree).</summary>
    private const int FullScoreMaxDegree = 3;

    private readonly int _z;
    private readonly ulong _full;
    private readonly int _baseRows;
    private readonly int _baseColumns;
    private readonly int[] _columnDegree;
    private readonly int[] _columnOrder;
    private readonly int[] _columnEdgeStart;
    private readonly int[] _columnRows;
    private readonly int[] _columnShifts;
    private readonly int[] _columnPlaced;
    private readonly int[][] _rowColumns;
    private readonly int[][] _rowShifts;
    private readonly int[] _rowDegree;
    private readonly int[] _rowTarget;

    // Tree expansion state, reset lazily by stamp.
    private readonly ulong[] _checkReached;
    private readonly int[] _checkStamp;
    private readonly int[] _checkLevel;
    private readonly int[] _order;
    private readonly ulong[] _variableReached;
    private readonly int[] _variableStamp;
    private readonly bool[] _rowAllowed;
    private readonly ulong[] _checkNext;
    private readonly ulong[] _variableNext;
    private readonly int[] _checkFrontier;
    private readonly ulong[] _checkFrontierMask;
    private readonly int[] _checkNextRows;
    private readonly int[] _variableFrontier;
    private readonly ulong[] _variableFrontierMask;
    private readonly ulong[] _candidates;
    private int _stamp;
    private ulong _random;

    private QuasiCyclicPegBuilder(DegreeProfile baseProfile, int liftingSize, ulong seed)
    {
        _z = liftingSize;
        _full = liftingSize == 64 ? ulong.MaxValue : (1UL << liftingSize) - 1;
        _baseRows = baseProfile.Rows;
        _baseColumns = baseProfile.Columns;
        _columnDegree = baseProfile.VariableDegrees;
        _columnOrder = Enumerable.Range(0, _baseColumns).OrderBy(j => _columnDegree[j]).ThenBy(j => j).ToArray();
        _columnEdgeStart = new int[_baseColumns + 1];
        for (var j = 0; j < _baseColumns; j++) _columnEdgeStart[j + 1] = _columnEdgeStart[j] + _columnDegree[j];
        _columnRows = new int[_columnEdgeStart[_baseColumns]];
        _columnShifts = new int[_columnRows.Length];
        _columnPlaced = new int[_baseColumns];
        _rowTarget = baseProfile.CheckDegrees;
        _rowColumns = new int[_baseRows][];
        _rowShifts = new int[_baseRows][];
        for (var i = 0; i < _baseRows; i++)
        {
            _rowColumns[i] = new int[Math.Max(4, _rowTarget[i] + 2)];
            _rowShifts[i] = new int[_rowColumns[i].Length];
        }
        _rowDegree = new int[_baseRows];
        _checkReached = new ulong[_baseRows];
        _checkStamp = new int[_baseRows];
        _checkLevel = new int[_baseRows * _z];
        _order = new int[_z];
        for (var delta = 0; delta < _z; delta++) _order[delta] = _z / (int)BigInteger.GreatestCommonDivisor(delta, _z);
        _variableReached = new ulong[_baseColumns];
        _variableStamp = new int[_baseColumns];
        _rowAllowed = new bool[_baseRows];
        _checkNext = new ulong[_baseRows];
        _variableNext = new ulong[_baseColumns];
        _checkFrontier = new int[_baseRows];
        _checkFrontierMask = new ulong[_baseRows];
        _checkNextRows = new int[_baseRows];
        _variableFrontier = new int[_baseColumns];
        _variableFrontierMask = new ulong[_baseColumns];
        _candidates = new ulong[_baseRows];
        _random = seed ^ 0xD1B54A32D192ED03UL;
    }

    /// <summary>
    /// Builds a QC code whose base graph has the node degrees of <paramref name="baseProfile"/> (one entry per
    /// base column and base row), lifted by <paramref name="liftingSize"/>.
    /// </summary>
    public static QuasiCyclicCode Build(DegreeProfile baseProfile, int liftingSize, ulong seed)
    {
        if (liftingSize < 1 || liftingSize > MaxLiftingSize)
            throw new ArgumentOutOfRangeException(nameof(liftingSize), $"the lifting size Z must be in 1..{MaxLiftingSize}");
        if (baseProfile.VariableDegrees.Any(d => d < 1 || d > baseProfile.Rows))
            throw new ArgumentException($"base column degrees must be in 1..{baseProfile.Rows} (the number of base rows): at most one circulant per base entry");
        var builder = new QuasiCyclicPegBuilder(baseProfile, liftingSize, seed);
        builder.Grow();
        return builder.ToCode();
    }

    /// <summary>Builds from a distribution: node counts of the base graph (n / Z columns) as <see cref="DegreeDistribution.ToProfile"/>.</summary>
    public static QuasiCyclicCode Build(DegreeDistribution distribution, int columns, int liftingSize, ulong seed)
    {
        if (liftingSize < 1 || liftingSize > MaxLiftingSize)
            throw new ArgumentOutOfRangeException(nameof(liftingSize), $"the lifting size Z must be in 1..{MaxLiftingSize}");
        if (columns % liftingSize != 0)
            throw new ArgumentException($"the code length {columns} is not a multiple of Z = {liftingSize}", nameof(columns));
        return Build(distribution.ToProfile(columns / liftingSize), liftingSize, seed);
    }

    private void Grow()
    {
        foreach (var j in _columnOrder)
        {
            for (var k = 0; k < _columnDegree[j]; k++)
            {
                if (k == 0)
                {
                    var row = LeastFilledRow();
                    Connect(j, row, (int)(NextRandom() % (ulong)_z));
                }
                else
                {
                    ExpandTree(j);
                    var row = ChooseRow();
                    var mask = _candidates[row];
                    var offset = NthSetBit(mask, (int)(NextRandom() % (ulong)BitOperations.PopCount(mask)));
                    Connect(j, row, (_z - offset) % _z);
                }
            }
        }
    }

    /// <summary>
    /// Expands the tree of lifted variable jZ level by level and leaves in <see cref="_candidates"/> (per base
    /// row, a mask of offsets) the checks PEG may pick: unreachable ones if any, else the deepest reached.
    /// </summary>
    private void ExpandTree(int j)
    {
        var stamp = ++_stamp;
        Array.Fill(_rowAllowed, true);
        for (var e = _columnEdgeStart[j]; e < _columnEdgeStart[j] + _columnPlaced[j]; e++) _rowAllowed[_columnRows[e]] = false;
        long allowedChecks = 0;
        for (var i = 0; i < _baseRows; i++) if (_rowAllowed[i]) allowedChecks += _z;

        _variableStamp[j] = stamp;
        _variableReached[j] = 1;
        var checkFrontierSize = 0;
        for (var e = _columnEdgeStart[j]; e < _columnEdgeStart[j] + _columnPlaced[j]; e++)
        {
            var i = _columnRows[e];
            var mask = RotateRight(1, _columnShifts[e]);
            _checkStamp[i] = stamp;
            _checkReached[i] = mask;
            _checkLevel[i * _z + BitOperations.TrailingZeroCount(mask)] = 1;
            _checkFrontier[checkFrontierSize] = i;
            _checkFrontierMask[checkFrontierSize++] = mask;
        }
        long reachedAllowed = 0;
        var level = 1;
        while (true)
        {
            level++;
            // Checks -> variables.
            var variableFrontierSize = 0;
            for (var f = 0; f < checkFrontierSize; f++)
            {
                var i = _checkFrontier[f];
                var mask = _checkFrontierMask[f];
                var columns = _rowColumns[i];
                var shifts = _rowShifts[i];
                for (var k = 0; k < _rowDegree[i]; k++)
                {
                    var u = columns[k];
                    var reached = _variableStamp[u] == stamp ? _variableReached[u] : 0;
                    var fresh = RotateLeft(mask, shifts[k]) & ~reached;
                    if (fresh == 0) continue;
                    if (_variableStamp[u] != stamp) { _variableStamp[u] = stamp; _variableReached[u] = 0; }
                    _variableReached[u] |= fresh;
                    if (_variableNext[u] == 0) _variableFrontier[variableFrontierSize++] = u;
                    _variableNext[u] |= fresh;
                }
            }
            for (var f = 0; f < variableFrontierSize; f++)
            {
                _variableFrontierMask[f] = _variableNext[_variableFrontier[f]];
                _variableNext[_variableFrontier[f]] = 0;
            }
            // Variables -> checks.
            var nextSize = 0;
            for (var f = 0; f < variableFrontierSize; f++)
            {
                var u = _variableFrontier[f];
                var mask = _variableFrontierMask[f];
                for (var e = _columnEdgeStart[u]; e < _columnEdgeStart[u] + _columnPlaced[u]; e++)
                {
                    var i = _columnRows[e];
                    var reached = _checkStamp[i] == stamp ? _checkReached[i] : 0;
                    var fresh = RotateRight(mask, _columnShifts[e]) & ~reached;
                    if (fresh == 0) continue;
                    if (_checkStamp[i] != stamp) { _checkStamp[i] = stamp; _checkReached[i] = 0; }
                    for (var bits = fresh; bits != 0; bits &= bits - 1) _checkLevel[i * _z + BitOperations.TrailingZeroCount(bits)] = level;
                    _checkReached[i] |= fresh;
                    if (_checkNext[i] == 0) _checkNextRows[nextSize++] = i;
                    _checkNext[i] |= fresh;
                    if (_rowAllowed[i]) reachedAllowed += BitOperations.PopCount(fresh);
                }
            }
            if (nextSize == 0)
            {
                // The tree stopped growing: a check it did not reach closes no cycle through one copy of the
                // new circulant.
                for (var i = 0; i < _baseRows; i++)
                    _candidates[i] = _rowAllowed[i] ? ~(_checkStamp[i] == stamp ? _checkReached[i] : 0) & _full : 0;
                if (reachedAllowed < allowedChecks)
                {
                    KeepLongestRepeatedCycles(stamp);
                    return;
                }
                // Everything allowed was reached at earlier levels: cannot happen (the last level would have
                // completed it), kept as a guard so a candidate always exists.
                for (var i = 0; i < _baseRows; i++) _candidates[i] = _rowAllowed[i] ? _full : 0;
                return;
            }
            if (reachedAllowed == allowedChecks)
            {
                // Every allowed check is in the tree: take those first reached at this, the deepest, level.
                // Columns of degree <= 3 (those whose short cycles are low-weight codewords and trapping sets)
                // score every allowed check instead: a deepest check may sit next to a shallow offset of its row
                // whose repeated cycle is shorter, and the deepest level is often a handful of such checks.
                var scoreAll = _columnDegree[j] <= FullScoreMaxDegree;
                Array.Clear(_candidates);
                for (var i = 0; i < _baseRows; i++) if (scoreAll && _rowAllowed[i]) _candidates[i] = _full;
                for (var f = 0; f < nextSize; f++)
                {
                    var i = _checkNextRows[f];
                    if (_rowAllowed[i] && !scoreAll) _candidates[i] = _checkNext[i];
                    _checkNext[i] = 0;
                }
                KeepLongestRepeatedCycles(stamp);
                return;
            }
            for (var f = 0; f < nextSize; f++)
            {
                var i = _checkNextRows[f];
                _checkFrontier[f] = i;
                _checkFrontierMask[f] = _checkNext[i];
                _checkNext[i] = 0;
            }
            checkFrontierSize = nextSize;
        }
    }

    /// <summary>
    /// Narrows <see cref="_candidates"/> to the offsets whose shortest new cycle, counting cycles that pass
    /// the new circulant several times, is longest. A base row the tree never touched closes no cycle at
    /// all. Offset r of a row the tree reached at offsets r' (level L: 2L - 1 edges from jZ) closes a base
    /// cycle that the lift repeats ord(r - r') = Z / gcd(r - r', Z) times before it returns to jZ: a lifted
    /// cycle of 2L ord(r - r') edges (2L when r' = r). Short repeated cycles of degree-2 columns are
    /// codewords of half as many bits: ignoring them left weight-4 codewords and an error floor.
    /// </summary>
    private void KeepLongestRepeatedCycles(int stamp)
    {
        var best = -1L;
        for (var i = 0; i < _baseRows; i++)
        {
            var candidates = _candidates[i];
            if (candidates == 0) continue;
            _candidates[i] = 0;
            var reached = _checkStamp[i] == stamp ? _checkReached[i] : 0;
            if (reached == 0)
            {
                if (best < long.MaxValue) { best = long.MaxValue; Array.Clear(_candidates, 0, i); }
                _candidates[i] = candidates;
                continue;
            }
            if (best == long.MaxValue) continue;
            for (var bits = candidates; bits != 0; bits &= bits - 1)
            {
                var r = BitOperations.TrailingZeroCount(bits);
                var score = long.MaxValue;
                for (var seen = reached; seen != 0; seen &= seen - 1)
                {
                    var other = BitOperations.TrailingZeroCount(seen);
                    var delta = r >= other ? r - other : r - other + _z;
                    score = Math.Min(score, 2L * _checkLevel[i * _z + other] * _order[delta]);
                    if (score < best) break; // cannot be kept: saves most of the work once a good offset is known
                }
                if (score > best)
                {
                    best = score;
                    Array.Clear(_candidates, 0, i + 1);
                }
                if (score == best) _candidates[i] |= 1UL << r;
            }
        }
    }

    /// <summary>Among rows with candidates, the one furthest below its target degree; ties from a random scan start.</summary>
    private int ChooseRow()
    {
        var start = (int)(NextRandom() % (ulong)_baseRows);
        var best = -1;
        var bestScore = int.MaxValue;
        for (var n = 0; n < _baseRows; n++)
        {
            var i = start + n < _baseRows ? start + n : start + n - _baseRows;
            if (_candidates[i] == 0) continue;
            var score = _rowDegree[i] - _rowTarget[i];
            if (score < bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private int LeastFilledRow()
    {
        var start = (int)(NextRandom() % (ulong)_baseRows);
        var best = -1;
        var bestScore = int.MaxValue;
        for (var n = 0; n < _baseRows; n++)
        {
            var i = start + n < _baseRows ? start + n : start + n - _baseRows;
            var score = _rowDegree[i] - _rowTarget[i];
            if (score < bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private void Connect(int j, int i, int shift)
    {
        var e = _columnEdgeStart[j] + _columnPlaced[j]++;
        _columnRows[e] = i;
        _columnShifts[e] = shift;
        if (_rowDegree[i] == _rowColumns[i].Length)
        {
            Array.Resize(ref _rowColumns[i], _rowDegree[i] * 2);
            Array.Resize(ref _rowShifts[i], _rowDegree[i] * 2);
        }
        _rowColumns[i][_rowDegree[i]] = j;
        _rowShifts[i][_rowDegree[i]++] = shift;
    }

    /// <summary>Bit a -> bit (a + s) mod Z: check offset r reaches variable offset r + s.</summary>
    private ulong RotateLeft(ulong mask, int s) => s == 0 ? mask : ((mask << s) | (mask >> (_z - s))) & _full;

    /// <summary>Bit a -> bit (a - s) mod Z: variable offset a reaches check offset a - s.</summary>
    private ulong RotateRight(ulong mask, int s) => s == 0 ? mask : ((mask >> s) | (mask << (_z - s))) & _full;

    private static int NthSetBit(ulong mask, int n)
    {
        for (var k = 0; k < n; k++) mask &= mask - 1;
        return BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>SplitMix64: a fixed generator, so a seed builds the same code on every runtime.</summary>
    private ulong NextRandom()
    {
        var z = _random += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private QuasiCyclicCode ToCode()
    {
        var columns = new int[_baseRows][];
        var shifts = new int[_baseRows][];
        for (var i = 0; i < _baseRows; i++)
        {
            // Ascending column order: the lifted rows then list their variables in ascending order.
            var order = Enumerable.Range(0, _rowDegree[i]).OrderBy(k => _rowColumns[i][k]).ToArray();
            columns[i] = order.Select(k => _rowColumns[i][k]).ToArray();
            shifts[i] = order.Select(k => _rowShifts[i][k]).ToArray();
        }
        return new QuasiCyclicCode(_z, _baseColumns, columns, shifts);
    }
}
