namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// Progressive edge-growth Tanner graph construction: X.-Y. Hu, E. Eleftheriou, D. M. Arnold, "Regular and
/// irregular progressive edge-growth Tanner graphs", IEEE Trans. Inf. Theory 51(1), 386-398 (2005).
/// Variables are placed in ascending degree; each new edge goes to a check as far as possible from the
/// variable in the graph built so far (so local girth is maximised), ties broken towards the check
/// furthest below its target degree (the lowest-check-degree rule), then by a seeded random scan start.
/// Deterministic for a given profile and seed.
/// </summary>
public sealed class PegBuilder
{
    private readonly DegreeProfile _profile;
    private readonly int[] _variableDegree;
    private readonly int[] _variableOrder;
    private readonly int[] _variableEdgeStart;
    private readonly int[] _variableChecks;
    private readonly int[] _variablePlaced;
    private readonly int[][] _checkVariables;
    private readonly int[] _checkDegree;
    private readonly int[] _checkTarget;
    private readonly int[] _checkReachedStamp;
    private readonly int[] _variableSeenStamp;
    private readonly int[] _frontier;
    private readonly int[] _nextFrontier;
    private int _stamp;
    private ulong _random;

    private PegBuilder(DegreeProfile profile, ulong seed)
    {
        _profile = profile;
        var n = profile.Columns;
        var m = profile.Rows;
        _variableDegree = profile.VariableDegrees;
        _variableOrder = Enumerable.Range(0, n).OrderBy(v => _variableDegree[v]).ThenBy(v => v).ToArray();
        _variableEdgeStart = new int[n + 1];
        for (var v = 0; v < n; v++) _variableEdgeStart[v + 1] = _variableEdgeStart[v] + _variableDegree[v];
        _variableChecks = new int[_variableEdgeStart[n]];
        _variablePlaced = new int[n];
        _checkTarget = profile.CheckDegrees;
        _checkVariables = new int[m][];
        for (var c = 0; c < m; c++) _checkVariables[c] = new int[Math.Max(4, _checkTarget[c] + 2)];
        _checkDegree = new int[m];
        _checkReachedStamp = new int[m];
        _variableSeenStamp = new int[n];
        _frontier = new int[m];
        _nextFrontier = new int[m];
        _random = seed ^ 0x9E3779B97F4A7C15UL;
    }

    /// <summary>Builds H for the profile; throws if a variable has more edges than there are checks.</summary>
    public static SparseParityCheckMatrix Build(DegreeProfile profile, ulong seed)
    {
        if (profile.VariableDegrees.Any(d => d < 1 || d > profile.Rows))
            throw new ArgumentException($"variable degrees must be in 1..{profile.Rows} (the number of checks)");
        var builder = new PegBuilder(profile, seed);
        builder.Grow();
        return builder.ToMatrix();
    }

    private void Grow()
    {
        foreach (var v in _variableOrder)
        {
            for (var k = 0; k < _variableDegree[v]; k++)
            {
                var check = k == 0 ? LeastFilledCheck(anyCheck: true) : FurthestCheck(v);
                Connect(v, check);
            }
        }
    }

    /// <summary>
    /// Expands the tree of v level by level. If some checks stay unreachable, pick among them (no new cycle);
    /// otherwise pick among the checks first reached at the deepest level (longest new cycle).
    /// </summary>
    private int FurthestCheck(int v)
    {
        var stamp = NextStamp();
        var m = _profile.Rows;
        var reached = 0;
        var frontierSize = 0;
        _variableSeenStamp[v] = stamp;
        for (var e = _variableEdgeStart[v]; e < _variableEdgeStart[v] + _variablePlaced[v]; e++)
        {
            var c = _variableChecks[e];
            _checkReachedStamp[c] = stamp;
            _frontier[frontierSize++] = c;
            reached++;
        }
        while (true)
        {
            var nextSize = 0;
            for (var i = 0; i < frontierSize; i++)
            {
                var c = _frontier[i];
                var neighbours = _checkVariables[c];
                for (var j = 0; j < _checkDegree[c]; j++)
                {
                    var u = neighbours[j];
                    if (_variableSeenStamp[u] == stamp) continue;
                    _variableSeenStamp[u] = stamp;
                    for (var e = _variableEdgeStart[u]; e < _variableEdgeStart[u] + _variablePlaced[u]; e++)
                    {
                        var next = _variableChecks[e];
                        if (_checkReachedStamp[next] == stamp) continue;
                        _checkReachedStamp[next] = stamp;
                        _nextFrontier[nextSize++] = next;
                        reached++;
                        if (reached == m) return LeastFilled(_nextFrontier, nextSize);
                    }
                }
            }
            if (nextSize == 0) return LeastFilledCheck(anyCheck: false);
            Array.Copy(_nextFrontier, _frontier, nextSize);
            frontierSize = nextSize;
        }
    }

    /// <summary>Among all checks (or those not reached in the current stamp), the one furthest below its target.</summary>
    private int LeastFilledCheck(bool anyCheck)
    {
        // Scan from a random start so equal scores are chosen without drawing a random number per tie.
        var rows = _profile.Rows;
        var start = (int)(NextRandom() % (ulong)rows);
        var best = -1;
        var bestScore = int.MaxValue;
        for (var i = 0; i < rows; i++)
        {
            var c = start + i < rows ? start + i : start + i - rows;
            if (!anyCheck && _checkReachedStamp[c] == _stamp) continue;
            var score = _checkDegree[c] - _checkTarget[c];
            if (score < bestScore)
            {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    private int LeastFilled(int[] candidates, int count)
    {
        var start = (int)(NextRandom() % (ulong)count);
        var best = -1;
        var bestScore = int.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var c = candidates[start + i < count ? start + i : start + i - count];
            var score = _checkDegree[c] - _checkTarget[c];
            if (score < bestScore)
            {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    private void Connect(int v, int c)
    {
        _variableChecks[_variableEdgeStart[v] + _variablePlaced[v]++] = c;
        if (_checkDegree[c] == _checkVariables[c].Length) Array.Resize(ref _checkVariables[c], _checkDegree[c] * 2);
        _checkVariables[c][_checkDegree[c]++] = v;
    }

    private int NextStamp()
    {
        _stamp++;
        return _stamp;
    }

    /// <summary>SplitMix64: a fixed generator, so a seed builds the same code on every runtime.</summary>
    private ulong NextRandom()
    {
        var z = _random += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private SparseParityCheckMatrix ToMatrix()
    {
        var rows = new int[_profile.Rows][];
        for (var c = 0; c < rows.Length; c++) rows[c] = _checkVariables[c].AsSpan(0, _checkDegree[c]).ToArray();
        return new SparseParityCheckMatrix(_profile.Rows, _profile.Columns, rows);
    }
}
