using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Tests.Trace;

public class VcdWriterTests
{
    [Fact]
    public void Header_declares_timescale_one_scope_per_board_and_typed_vars_with_unique_ids()
    {
        var text = Write(vcd =>
        {
            vcd.DeclareBoard("alice");
            vcd.DeclareBoard("bob");
            vcd.Digital("alice", "trigger", 0, true);
        });

        var parsed = VcdReader.Parse(text);

        Assert.Equal("1 ns", parsed.Timescale);
        Assert.Equal(["alice", "bob"], parsed.Scopes);
        foreach (var scope in new[] { "alice", "bob" })
        {
            var vars = parsed.Vars.Where(v => v.Scope == scope).ToList();
            Assert.Equal(VcdWriter.BoardDigitalSignals.Concat(VcdWriter.BoardRealSignals), vars.Select(v => v.Name));
            Assert.All(vars.Where(v => VcdWriter.BoardDigitalSignals.Contains(v.Name)), v => Assert.Equal(("wire", 1), (v.Type, v.Width)));
            Assert.All(vars.Where(v => VcdWriter.BoardRealSignals.Contains(v.Name)), v => Assert.Equal(("real", 64), (v.Type, v.Width)));
        }
        Assert.Equal(parsed.Vars.Count, parsed.Vars.Select(v => v.Code).Distinct().Count());
        Assert.All(parsed.Vars, v => Assert.All(v.Code, c => Assert.InRange(c, '!', '~')));
    }

    [Fact]
    public void Values_read_back_in_time_order_with_unchanged_values_left_out()
    {
        var text = Write(vcd =>
        {
            vcd.Digital("alice", "mux_a0", 0, false);
            vcd.Real("alice", "eom_v", 0, 0.0);
            vcd.Digital("alice", "mux_a0", 100, true);
            vcd.Digital("alice", "mux_a0", 150, true); // no change: not written
            vcd.Real("alice", "eom_v", 120, -152.5);
            vcd.Real("alice", "eom_v", 130, -152.5); // no change
            vcd.Real("alice", "eom_v", 2000, 1e-3);
            vcd.Digital("alice", "mux_a0", 2000, false);
        });

        var parsed = VcdReader.Parse(text);

        Assert.Equal([0L, 100, 120, 2000], parsed.TimeBlocks);
        Assert.Equal([(0L, 0.0), (100L, 1.0), (2000L, 0.0)], parsed.History("alice", "mux_a0"));
        Assert.Equal([(0L, 0.0), (120L, -152.5), (2000L, 1e-3)], parsed.History("alice", "eom_v"));
    }

    [Fact]
    public void Changes_out_of_order_across_signals_are_sorted_within_the_reorder_window()
    {
        var text = Write(vcd =>
        {
            vcd.Digital("bob", "trigger", 500, true);
            vcd.Digital("bob", "mux_a0", 200, true); // another model reports an earlier change later
            vcd.Real("bob", "eom_v", 300, 75.25);
            vcd.Digital("bob", "trigger", 900, false);
        }, reorderCapacity: 16);

        var parsed = VcdReader.Parse(text);

        Assert.Equal([200L, 300, 500, 900], parsed.TimeBlocks);
    }

    [Fact]
    public void Long_traces_stream_out_with_bounded_buffering_and_refuse_changes_older_than_what_was_written()
    {
        var sink = new StringWriter();
        var vcd = new VcdWriter(sink, reorderCapacity: 256, leaveOpen: true);
        vcd.DeclareBoard("alice");
        for (var t = 0; t < 100_000; t++) vcd.Digital("alice", "trigger", t * 2_000L, (t & 1) == 0);

        var streamed = sink.GetStringBuilder().Length;
        Assert.True(streamed > 100_000, $"only {streamed} characters written before Dispose: changes are being held in memory");
        Assert.True(vcd.WrittenUpToNs > 0);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => vcd.Digital("alice", "mux_a0", 0, true));
        Assert.Contains("alice.mux_a0", error.Message);

        vcd.Dispose();
        var parsed = VcdReader.Parse(sink.ToString());
        Assert.Equal(100_000, parsed.History("alice", "trigger").Count);
        Assert.Equal(199_998L * 1_000, parsed.TimeBlocks[^1]);
    }

    [Fact]
    public void A_signal_first_seen_after_the_header_is_refused_by_name()
    {
        var sink = new StringWriter();
        using var vcd = new VcdWriter(sink, reorderCapacity: 2, leaveOpen: true);
        vcd.Digital("alice", "trigger", 0, true);
        vcd.Digital("alice", "trigger", 10, false);
        vcd.Digital("alice", "trigger", 20, true); // buffer full: header and first changes written

        var error = Assert.Throws<InvalidOperationException>(() => vcd.Digital("alice", "scope_sync", 30, true));
        Assert.Contains("alice.scope_sync", error.Message);
    }

    [Fact]
    public void A_signal_keeps_its_kind_and_its_time_never_goes_back()
    {
        using var vcd = new VcdWriter(new StringWriter());
        vcd.DeclareReal("bob", "eom_v");
        Assert.Throws<InvalidOperationException>(() => vcd.Digital("bob", "eom_v", 0, true));
        vcd.Real("bob", "eom_v", 100, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => vcd.Real("bob", "eom_v", 50, 2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => vcd.Real("bob", "eom_v", 200, double.NaN));
    }

    [Fact]
    public void Create_writes_a_file_that_reads_back()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vcd-{Guid.NewGuid():N}.vcd");
        try
        {
            using (var vcd = VcdWriter.Create(path))
            {
                vcd.DeclareBoard("alice");
                vcd.Digital("alice", "dac_sync", 0, true);
                vcd.Digital("alice", "dac_sync", 40, false);
                vcd.Real("alice", "dac_vout_a", 10_040, 2.5);
            }

            var parsed = VcdReader.Parse(File.ReadAllText(path));
            Assert.Equal([(10_040L, 2.5)], parsed.History("alice", "dac_vout_a"));
            Assert.Equal([(0L, 1.0), (40L, 0.0)], parsed.History("alice", "dac_sync"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(Action<VcdWriter> trace, int reorderCapacity = 1024)
    {
        var sink = new StringWriter();
        using (var vcd = new VcdWriter(sink, reorderCapacity, leaveOpen: true))
        {
            trace(vcd);
        }
        return sink.ToString();
    }
}
