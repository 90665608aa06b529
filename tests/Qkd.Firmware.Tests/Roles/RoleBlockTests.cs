using Qkd.Firmware.Tests.Support;
using Qkd.Firmware.Roles;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Roles;

/// <summary>Blocks of 10^5 pulses on the model engine: tables, MUX codes, detections, missed triggers, the double buffer.</summary>
public class RoleBlockTests
{
    private const int Pulses = 100_000;

    [Fact]
    public void Alice_puts_out_the_table_code_of_every_pulse_of_a_block_loaded_in_shuffled_chunks()
    {
        using var rig = new RoleRig(BoardRole.Alice).Configured();
        var table = Boards.RandomTable(Pulses, 2, seed: 1);
        var chunkCount = (table.Length + 899) / 900;
        var order = Enumerable.Range(0, chunkCount).OrderBy(c => (c * 7919) % chunkCount).Append(3).ToList(); // shuffled, one repeated

        rig.Load(7, table, order: order);
        rig.Role.Arm(7, Pulses);
        rig.Role.Start(7);
        Assert.Equal(Pulses, rig.Engine.Fire(Pulses));
        Assert.True(rig.Role.Poll());

        var block = rig.Role.Finishing!;
        for (var p = 0; p < Pulses; p++)
        {
            if (rig.Engine.MuxLog[p] != RoleRig.Code(table, p, 2)) Assert.Fail($"pulse {p}: MUX code {rig.Engine.MuxLog[p]}, table {RoleRig.Code(table, p, 2)}");
        }

        Assert.Equal((BlockState.Done, Pulses, 0), (block.State, block.PulsesDone, block.MissedTriggers));
    }

    [Fact]
    public void Bob_keeps_every_injected_click_at_its_pulse_with_double_clicks_flagged()
    {
        using var rig = new RoleRig(BoardRole.Bob).Configured();
        var table = Boards.RandomTable(Pulses, 1, seed: 2);
        var clicks = Boards.RandomClicks(Pulses, oneIn: 50, seed: 3);
        rig.Load(1, table);
        rig.Role.Arm(1, Pulses);
        rig.Role.Start(1);
        rig.Engine.Clicks = clicks;

        rig.Engine.Fire(Pulses);
        rig.Role.Poll();

        var block = rig.Role.Finishing!;
        var expected = Enumerable.Range(0, Pulses).Where(p => clicks[p] != 0).Select(p => (p, clicks[p])).ToList();
        var captured = Enumerable.Range(0, block.Detections).Select(i => (block.Block.DetectionPulses[i], block.Block.DetectionCodes[i])).ToList();
        Assert.Equal(expected, captured);
        Assert.Contains(captured, r => r.Item2 == DetectorCode.DoubleClick);
        for (var p = 0; p < Pulses; p++)
        {
            if (rig.Engine.MuxLog[p] != RoleRig.Code(table, p, 1)) Assert.Fail($"pulse {p}: basis {rig.Engine.MuxLog[p]}, table {RoleRig.Code(table, p, 1)}");
        }
    }

    [Fact]
    public void A_block_with_missed_triggers_is_marked_aborted_and_later_pulses_keep_their_own_index()
    {
        using var rig = new RoleRig(BoardRole.Bob).Configured();
        var table = Boards.RandomTable(Pulses, 1, seed: 4);
        var clicks = Boards.RandomClicks(Pulses, oneIn: 40, seed: 5);
        var misses = new bool[Pulses];
        foreach (var p in new[] { 10, 11, 5_000, 77_777 }) misses[p] = true;
        clicks[11] = DetectorCode.Apd0; // a click on a missed pulse is never gated, so never recorded
        rig.Load(2, table);
        rig.Role.Arm(2, Pulses);
        rig.Role.Start(2);
        rig.Engine.Clicks = clicks;
        rig.Engine.Misses = misses;

        rig.Engine.Fire(Pulses);
        rig.Role.Poll();

        var block = rig.Role.Finishing!;
        Assert.Equal(BlockState.Aborted, block.State);
        Assert.Equal(4, block.MissedTriggers);
        Assert.Equal([10, 11, 5_000, 77_777], block.Block.MissedPulses.Take(4));
        Assert.Equal(Pulses, block.PulsesDone);
        var expected = Enumerable.Range(0, Pulses).Where(p => clicks[p] != 0 && !misses[p]).ToList();
        Assert.Equal(expected, block.Block.DetectionPulses.Take(block.Detections));
        Assert.Equal(RoleRig.Code(table, 5_001, 1), rig.Engine.MuxLog[5_001]);
        Assert.Equal(RoleRig.Code(table, Pulses - 1, 1), rig.Engine.MuxLog[Pulses - 1]);
    }

    [Fact]
    public void Clicks_beyond_the_record_buffer_are_counted_as_overruns_and_the_block_is_aborted()
    {
        using var rig = new RoleRig(BoardRole.Bob, maxPulses: 1_000, detectionCapacity: 100).Configured();
        rig.Load(4, new byte[125]);
        rig.Role.Arm(4, 1_000);
        rig.Role.Start(4);
        rig.Engine.Clicks = Enumerable.Repeat(DetectorCode.Apd1, 1_000).ToArray();

        rig.Engine.Fire(1_000);
        rig.Role.Poll();

        var block = rig.Role.Finishing!;
        Assert.Equal((100, 900, BlockState.Aborted), (block.Detections, block.DetectionsDropped, block.State));
    }

    [Fact]
    public void A_table_arms_only_when_every_chunk_for_its_pulse_count_arrived()
    {
        using var rig = new RoleRig(BoardRole.Alice).Configured();
        var table = Boards.RandomTable(10_001, 2, seed: 6); // 2501 bytes: the last byte holds one pulse
        var chunks = (table.Length + 899) / 900;
        rig.Load(3, table, order: Enumerable.Range(0, chunks).Where(c => c != 1));

        var refused = Assert.Throws<RoleException>(() => rig.Role.Arm(3, 10_001));
        Assert.Equal(ErrorCode.BadState, refused.Code);
        Assert.Contains("incomplete", refused.Message);
        rig.Role.Arm(3, 1_000); // the first 250 bytes did arrive: a shorter block is complete
        Assert.Throws<RoleException>(() => rig.Role.Arm(3, 10_001)); // and is no longer loading
    }

    [Fact]
    public void Oversized_chunks_and_pulse_counts_beyond_the_buffer_are_refused_as_table_overflow()
    {
        using var rig = new RoleRig(BoardRole.Alice, maxPulses: 4_000).Configured();

        Assert.Equal(ErrorCode.TableOverflow, Assert.Throws<RoleException>(() => rig.Role.StoreChunk(new BasisChunkMessage(1, 900, new byte[200]))).Code);
        rig.Load(1, new byte[1000]);
        Assert.Equal(ErrorCode.TableOverflow, Assert.Throws<RoleException>(() => rig.Role.Arm(1, 4_001)).Code);
    }

    [Fact]
    public void The_next_block_loads_and_arms_while_one_runs_and_takes_over_when_it_ends()
    {
        using var rig = new RoleRig(BoardRole.Alice, maxPulses: 1_000).Configured();
        var first = Boards.RandomTable(1_000, 2, seed: 7);
        var second = Boards.RandomTable(1_000, 2, seed: 8);
        rig.Load(10, first);
        rig.Role.Arm(10, 1_000);
        rig.Role.Start(10);
        rig.Engine.Fire(400);

        rig.Load(11, second);                 // loads into the other buffer while block 10 runs
        rig.Role.Arm(11, 1_000);
        Assert.False(rig.Role.StoreChunk(new BasisChunkMessage(12, 0, [1]))); // no third buffer: wait
        Assert.Equal(ErrorCode.BadState, Assert.Throws<RoleException>(() => rig.Role.Start(11)).Code);

        rig.Engine.Fire(600);
        Assert.True(rig.Role.Poll());
        Assert.Equal(2, rig.Engine.ArmCount);  // block 11 went to the engine as soon as block 10 ended
        rig.Role.Start(11);                    // while block 10's results are still being sent
        Assert.False(rig.Role.StoreChunk(new BasisChunkMessage(12, 0, [1])));
        rig.Role.ReleaseEnded();
        Assert.True(rig.Role.StoreChunk(new BasisChunkMessage(12, 0, [1])));
        rig.Engine.Fire(1_000);
        Assert.All(Enumerable.Range(0, 1_000), p => Assert.Equal(RoleRig.Code(second, p, 2), rig.Engine.MuxLog[p]));
    }

    [Fact]
    public void Stop_ends_a_running_block_where_it_got_and_drops_a_pending_one()
    {
        using var rig = new RoleRig(BoardRole.Bob, maxPulses: 1_000).Configured();
        rig.Load(1, new byte[125]);
        rig.Role.Arm(1, 1_000);
        rig.Role.Start(1);
        rig.Engine.Fire(300);
        rig.Load(2, new byte[125]);

        Assert.True(rig.Role.Stop(1));
        Assert.False(rig.Role.Stop(2));

        var block = rig.Role.Finishing!;
        Assert.Equal((BlockState.Aborted, 300), (block.State, block.PulsesDone));
        Assert.Null(rig.Role.Tables.Find(2));
        Assert.Equal(ErrorCode.BadState, Assert.Throws<RoleException>(() => rig.Role.Stop(99)).Code);
    }
}
