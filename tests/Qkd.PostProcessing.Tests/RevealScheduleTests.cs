using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>The blind rounds' columns and leaks, against the rule spelled out round by round (both parties derive it alone).</summary>
public class RevealScheduleTests
{
    private static readonly Lazy<MotherCode> Code = new(() =>
        Reconcilers.LoadFamily(Reconcilers.FindCodesDirectory())[3]);

    [Theory]
    [InlineData(0, 100, 12)]
    [InlineData(450, 100, 12)]  // punctured not a multiple of the step: the fifth round reveals the last 50
    [InlineData(900, 37, 60)]   // every punctured bit, then frame bits
    [InlineData(300, 5000, 12)] // one round empties the punctured bits, the next reveals 5000 frame bits
    [InlineData(10, 3000, 100)] // more rounds allowed than there are bits: stops when every frame bit is out
    [InlineData(200, 50, 0)]
    public void Rounds_reveal_punctured_bits_last_first_then_frame_bits_in_reveal_order(int punctured, int step, int maxRounds)
    {
        var code = Code.Value;
        var schedule = new RevealSchedule(code, punctured, step, maxRounds);
        var expected = Spelled(code, punctured, step, maxRounds);
        Assert.Equal(expected.Columns.Count, schedule.Rounds);
        Assert.Equal(expected.Leak[0], schedule.LeakAfter(0));
        Assert.Equal(code.Matrix.Rows - punctured, schedule.LeakAfter(0));
        for (var round = 1; round <= schedule.Rounds; round++)
        {
            Assert.Equal(expected.Columns[round - 1], schedule.Columns(round).ToArray());
            Assert.Equal(expected.Leak[round], schedule.LeakAfter(round));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Columns(schedule.Rounds + 1).Length);
    }

    [Fact]
    public void Every_modulation_and_frame_column_is_revealed_once_when_rounds_suffice()
    {
        var code = Code.Value;
        var schedule = new RevealSchedule(code, code.ModulationBits, 97, 10_000);
        var seen = new List<int>();
        for (var round = 1; round <= schedule.Rounds; round++) seen.AddRange(schedule.Columns(round).ToArray());
        Assert.Equal(code.ModulationBits + code.RevealOrder.Length, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(code.Matrix.Rows + code.RevealOrder.Length, schedule.LeakAfter(schedule.Rounds));
    }

    /// <summary>The rule as a loop: each round hides <paramref name="step"/> fewer punctured bits, then reveals that many frame bits.</summary>
    private static (List<int[]> Columns, List<int> Leak) Spelled(MotherCode code, int punctured, int step, int maxRounds)
    {
        var columns = new List<int[]>();
        var leak = new List<int> { code.Matrix.Rows - punctured };
        var revealed = 0;
        while (columns.Count < maxRounds)
        {
            int[] round;
            if (punctured > 0)
            {
                var remaining = Math.Max(0, punctured - step);
                round = code.ModulationPositions[remaining..punctured];
                punctured = remaining;
            }
            else
            {
                var count = Math.Min(step, code.RevealOrder.Length - revealed);
                if (count == 0) break;
                round = code.RevealOrder[revealed..(revealed + count)];
                revealed += count;
            }
            columns.Add(round);
            leak.Add(code.Matrix.Rows - punctured + revealed);
        }
        return (columns, leak);
    }
}
