namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Which columns Bob discloses in each blind round, fixed by (code, initial punctured count, step, rounds) so
/// both parties derive it alone: first the punctured bits, last-punctured first (they become shortened), then
/// frame bits in the code's reveal order. A frame still failing after round k has disclosed
/// <see cref="LeakAfter"/>(k) bits: m - (punctured bits still hidden) + (frame bits revealed).
/// </summary>
internal sealed class RevealSchedule
{
    private readonly int[][] _columns;
    private readonly int[] _leak;

    public RevealSchedule(MotherCode code, int punctured, int step, int maxRounds)
    {
        if (punctured < 0 || punctured > code.ModulationBits) throw new ArgumentOutOfRangeException(nameof(punctured));
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step));
        var rounds = new List<int[]>();
        var leak = new List<int> { code.Matrix.Rows - punctured };
        var revealedFrameBits = 0;
        while (rounds.Count < maxRounds)
        {
            int[] columns;
            if (punctured > 0)
            {
                var remaining = Math.Max(0, punctured - step);
                columns = code.ModulationPositions.AsSpan(remaining, punctured - remaining).ToArray();
                punctured = remaining;
            }
            else
            {
                var count = Math.Min(step, code.RevealOrder.Length - revealedFrameBits);
                if (count == 0) break;
                columns = code.RevealOrder.AsSpan(revealedFrameBits, count).ToArray();
                revealedFrameBits += count;
            }
            rounds.Add(columns);
            leak.Add(code.Matrix.Rows - punctured + revealedFrameBits);
        }
        _columns = rounds.ToArray();
        _leak = leak.ToArray();
    }

    /// <summary>Blind rounds available after the first attempt.</summary>
    public int Rounds => _columns.Length;

    /// <summary>Columns disclosed in round <paramref name="round"/> (1-based).</summary>
    public ReadOnlySpan<int> Columns(int round) => _columns[round - 1];

    /// <summary>Bits disclosed per frame after <paramref name="rounds"/> blind rounds (0 = syndrome only).</summary>
    public int LeakAfter(int rounds) => _leak[rounds];
}
