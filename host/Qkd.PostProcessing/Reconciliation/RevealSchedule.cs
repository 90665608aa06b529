namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Which columns Bob discloses in each blind round, fixed by (code, initial punctured count, step, rounds) so
/// both parties derive it alone: first the punctured bits, last-punctured first (they become shortened), then
/// frame bits in the code's reveal order. A frame still failing after round k has disclosed
/// <see cref="LeakAfter"/>(k) bits: m - (punctured bits still hidden) + (frame bits revealed).
/// Every round's columns are one contiguous slice of the code's <see cref="MotherCode.ModulationPositions"/> or
/// <see cref="MotherCode.RevealOrder"/>, so nothing is copied: both parties build a schedule per block, and the
/// copies (up to 60 rounds of a long code, about 140 kB) were allocated twice per block for rounds most blocks never use.
/// </summary>
internal sealed class RevealSchedule
{
    private readonly MotherCode _code;
    private readonly int _punctured;
    private readonly int _step;
    private readonly int _puncturedRounds;

    public RevealSchedule(MotherCode code, int punctured, int step, int maxRounds)
    {
        if (punctured < 0 || punctured > code.ModulationBits) throw new ArgumentOutOfRangeException(nameof(punctured));
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step));
        _code = code;
        _punctured = punctured;
        _step = step;
        _puncturedRounds = RoundsFor(punctured, step);
        Rounds = (int)Math.Min(Math.Max(0, maxRounds), (long)_puncturedRounds + RoundsFor(code.RevealOrder.Length, step));
    }

    /// <summary>Blind rounds available after the first attempt.</summary>
    public int Rounds { get; }

    /// <summary>Columns disclosed in round <paramref name="round"/> (1-based).</summary>
    public ReadOnlySpan<int> Columns(int round)
    {
        if (round < 1 || round > Rounds) throw new ArgumentOutOfRangeException(nameof(round));
        if (round <= _puncturedRounds)
        {
            int hiddenBefore = HiddenPunctured(round - 1), hiddenAfter = HiddenPunctured(round);
            return _code.ModulationPositions.AsSpan(hiddenAfter, hiddenBefore - hiddenAfter);
        }
        int revealedBefore = RevealedFrameBits(round - 1);
        return _code.RevealOrder.AsSpan(revealedBefore, RevealedFrameBits(round) - revealedBefore);
    }

    /// <summary>Bits disclosed per frame after <paramref name="rounds"/> blind rounds (0 = syndrome only).</summary>
    public int LeakAfter(int rounds)
    {
        if (rounds < 0 || rounds > Rounds) throw new ArgumentOutOfRangeException(nameof(rounds));
        return _code.Matrix.Rows - HiddenPunctured(rounds) + RevealedFrameBits(rounds);
    }

    private static int RoundsFor(int bits, int step) => (int)(((long)bits + step - 1) / step);

    private int HiddenPunctured(int rounds) => (int)Math.Max(0, _punctured - (long)rounds * _step);

    private int RevealedFrameBits(int rounds) =>
        (int)Math.Min(_code.RevealOrder.Length, Math.Max(0, rounds - _puncturedRounds) * (long)_step);
}
