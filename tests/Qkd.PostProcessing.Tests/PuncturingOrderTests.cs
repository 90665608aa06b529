using Qkd.PostProcessing.Ldpc;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Tests;

/// <summary>MotherCode's puncturing order: untainted columns first, then one-step-recoverable ones, then the rest.</summary>
public class PuncturingOrderTests
{
    /// <summary>Longest prefix of the order in which no column shares a check with an earlier one.</summary>
    private static int UntaintedPrefix(SparseParityCheckMatrix h, int[] order)
    {
        var touched = new bool[h.Rows];
        for (var i = 0; i < order.Length; i++)
        {
            foreach (var check in h.RowsOfColumn(order[i])) if (touched[check]) return i;
            foreach (var check in h.RowsOfColumn(order[i])) touched[check] = true;
        }
        return order.Length;
    }

    /// <summary>Whether, with the first <paramref name="count"/> columns punctured, each has a check where it is the only punctured column.</summary>
    private static bool AllRecoverableInOneStep(SparseParityCheckMatrix h, int[] order, int count)
    {
        var punctured = new int[h.Rows];
        for (var i = 0; i < count; i++) foreach (var check in h.RowsOfColumn(order[i])) punctured[check]++;
        for (var i = 0; i < count; i++)
        {
            var recoverable = false;
            foreach (var check in h.RowsOfColumn(order[i])) recoverable |= punctured[check] == 1;
            if (!recoverable) return false;
        }
        return true;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Beyond_the_untainted_columns_every_punctured_column_keeps_a_check_of_its_own(ulong seed)
    {
        var h = PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(2000), 5);
        var code = new MotherCode(h, 900, seed);
        var order = code.ModulationPositions;
        Assert.Equal(900, order.Distinct().Count());
        var untainted = UntaintedPrefix(h, order);
        var recoverable = Enumerable.Range(untainted, order.Length - untainted + 1).Last(k => AllRecoverableInOneStep(h, order, k));
        // The one-step-recoverable phase adds columns past the untainted ones that a random continuation would not.
        Assert.InRange(untainted, 50, 899);
        Assert.True(recoverable >= untainted + 50, $"untainted {untainted}, one-step recoverable prefix {recoverable}");
        Assert.True(AllRecoverableInOneStep(h, order, recoverable));
    }

    [Fact]
    public void The_order_is_a_function_of_code_count_and_seed()
    {
        var h = PegBuilder.Build(DegreeDistribution.PaperRateHalf.ToProfile(1000), 3);
        Assert.Equal(new MotherCode(h, 400, 7).ModulationPositions, new MotherCode(h, 400, 7).ModulationPositions);
        Assert.NotEqual(new MotherCode(h, 400, 7).ModulationPositions, new MotherCode(h, 400, 8).ModulationPositions);
        // A shorter order is a prefix of a longer one: the parties agree on the punctured set for any count.
        Assert.Equal(new MotherCode(h, 400, 7).ModulationPositions[..150], new MotherCode(h, 150, 7).ModulationPositions);
    }
}

/// <summary>Loading the long family: every code must leave modulation bits beyond a 90 000-bit frame.</summary>
public class LongFamilyLoadingTests
{
    [Fact]
    public void A_long_code_too_short_for_a_long_frame_is_refused_with_its_path()
    {
        var directory = Path.Combine(Path.GetTempPath(), "qkd-long-family-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "qc"));
        try
        {
            var shipped = Reconcilers.FindCodesDirectory();
            foreach (var rate in Reconcilers.FamilyRates)
                File.Copy(Reconcilers.LongCodePath(shipped, rate), Reconcilers.LongCodePath(directory, rate));
            // A code of 10 base columns (n = 320) in place of the rate-0.6 file.
            var tiny = new QuasiCyclicCode(32, 10, [[0, 1, 2, 3], [4, 5, 6, 7]], [[0, 1, 2, 3], [0, 5, 9, 11]]);
            tiny.WriteFile(Reconcilers.LongCodePath(directory, 0.6));
            var error = Assert.Throws<InvalidDataException>(() => Reconcilers.LoadLongFamily(directory));
            Assert.Contains("rate-0.6.qc", error.Message);
            Assert.Contains("90000-bit frames", error.Message);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
