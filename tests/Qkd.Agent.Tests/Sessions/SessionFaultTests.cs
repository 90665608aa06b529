using Qkd.Agent.Sessions;

namespace Qkd.Agent.Tests.Sessions;

public class SessionFaultTests
{
    [Fact]
    public void Corrupted_and_dropped_link_bytes_never_change_a_key()
    {
        using var rig = new SessionTestRig(blockPulses: 50_000, errorProbability: 0);
        foreach (var wire in new[] { rig.Boards.AliceWire!, rig.Boards.BobWire! })
        {
            foreach (var faults in new[] { wire.ToBoardFaults, wire.ToHostFaults })
            {
                faults.CorruptProbability = 2e-5;
                faults.DropProbability = 2e-5;
            }
        }
        var summary = rig.Runner(blocks: 2).Run();

        var damaged = rig.Boards.AliceWire!.ToBoardFaults.BytesCorrupted + rig.Boards.BobWire!.ToHostFaults.BytesCorrupted
                      + rig.Boards.AliceWire.ToBoardFaults.BytesDropped + rig.Boards.BobWire.ToHostFaults.BytesDropped;
        Assert.True(damaged > 0, "the fault injection did not damage anything");
        Assert.Equal(2, summary.Blocks);
        Assert.Equal(rig.Discarded.Count, summary.DiscardedBlocks);
        // A damaged byte that got through would flip bits: the noiseless optics must still show no error at all.
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
    }

    [Fact]
    public void Board_reset_mid_block_discards_that_block_and_the_session_goes_on()
    {
        using var rig = new SessionTestRig(blockPulses: 30_000, errorProbability: 0);
        rig.Optics.BeforeBlock = n =>
        {
            if (n == 2) rig.Boards.AliceBoard!.Reset(); // Alice loses power while block 2 is under way
        };
        var summary = rig.Runner(blocks: 3).Run();

        Assert.Equal(2, rig.Boards.AliceBoard!.PowerUps);
        Assert.Equal([2u], rig.Discarded);
        Assert.Equal(1, summary.DiscardedBlocks);
        Assert.Equal(3, summary.Blocks);
        var blocks = rig.Journal().Select(l => l.Block).ToList();
        Assert.Equal(3, blocks.Count);
        Assert.DoesNotContain(2u, blocks);
        Assert.Equal(blocks.OrderBy(b => b), blocks);
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
    }

    [Fact]
    public void Link_loss_mid_block_discards_that_block_and_the_session_goes_on_after_the_cable_is_back()
    {
        using var rig = new SessionTestRig(blockPulses: 30_000, errorProbability: 0);
        var wire = rig.Boards.BobWire!;
        rig.Optics.BeforeBlock = n =>
        {
            if (n != 2) return;
            wire.ToHostFaults.Connected = wire.ToBoardFaults.Connected = false; // cable pulled while block 2 runs
            Task.Delay(4000).ContinueWith(_ => wire.ToHostFaults.Connected = wire.ToBoardFaults.Connected = true);
        };
        var summary = rig.Runner(blocks: 3).Run();

        Assert.Contains(2u, rig.Discarded);
        Assert.Equal(rig.Discarded.Count, summary.DiscardedBlocks);
        Assert.Equal(3, summary.Blocks);
        Assert.DoesNotContain(2u, rig.Journal().Select(l => l.Block));
        Assert.Equal(1, rig.Boards.BobBoard!.PowerUps); // Bob was never reset: the link came back
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
    }

    [Fact]
    public void Failing_rng_health_test_stops_the_session_before_any_table_is_sent()
    {
        using var rig = new SessionTestRig(blockPulses: 20_000);
        var stuck = Path.Combine(rig.Directory, "stuck.rng");
        File.WriteAllBytes(stuck, new byte[1 << 20]); // a generator stuck at zero
        using var rng = new FileRandomSource(stuck);

        var failure = Assert.Throws<HealthTestFailureException>(() => rig.Runner(blocks: 2, rng).Run());

        Assert.Contains("repetition count", failure.Message);
        Assert.Empty(rig.Journal());
        Assert.False(Directory.Exists(Path.Combine(rig.Directory, "raw")) && Directory.GetFiles(Path.Combine(rig.Directory, "raw")).Length > 0);
    }

    [Fact]
    public void Resume_after_a_crash_continues_without_losing_or_repeating_blocks()
    {
        var directory = Directory.CreateTempSubdirectory("qkd-resume-").FullName;
        try
        {
            using (var crashed = new SessionTestRig(blockPulses: 30_000, directory: directory, errorProbability: 0))
            {
                Assert.Throws<SimulatedCrashException>(() => crashed.Runner(blocks: 3, crashAfter: 2).Run());
                Assert.Equal([1u], crashed.Journal().Select(l => l.Block)); // block 2 was stored raw, not yet processed
            }

            using var resumed = new SessionTestRig(blockPulses: 30_000, directory: directory, errorProbability: 0);
            var summary = resumed.Runner(blocks: 3).Run();

            Assert.Equal([1u, 2u, 3u], resumed.Journal().Select(l => l.Block));
            Assert.Equal(3, summary.Blocks);
            Assert.Equal(3L * 30_000, summary.Pulses);
            Assert.Equal(3, new FileRawBlockSink(Path.Combine(directory, "raw")).CompleteBlocks().Count);
            Assert.True(summary.KeysMatch);
        }
        finally
        {
            SessionTestRig.DeleteDirectory(directory);
        }
    }

    [Fact]
    public void Resume_after_a_crash_between_the_save_raw_halves_and_raw_continues_with_a_new_block_number()
    {
        var directory = Directory.CreateTempSubdirectory("qkd-resume-saveraw-").FullName;
        var halves = Path.Combine(directory, "halves");
        try
        {
            using (var crashed = new SessionTestRig(blockPulses: 30_000, directory: directory, errorProbability: 0))
            {
                var saveRaw = Qkd.Agent.RawData.RawDataDirectory.Create(halves, new Qkd.Agent.RawData.RawSession());
                Assert.Throws<SimulatedCrashException>(() => crashed.Runner(blocks: 3, crashAfter: 2, saveRaw: saveRaw).Run());
            }
            // The crash came after block 2's halves were saved but before raw/ held it.
            foreach (var side in Directory.GetFiles(Path.Combine(directory, "raw"), "block-000002.*")) File.Delete(side);
            Assert.Equal([1u], new FileRawBlockSink(Path.Combine(directory, "raw")).CompleteBlocks());

            using var resumed = new SessionTestRig(blockPulses: 30_000, directory: directory, errorProbability: 0);
            var summary = resumed.Runner(blocks: 3, saveRaw: Qkd.Agent.RawData.RawDataDirectory.Open(halves)).Run();

            Assert.Equal([1u, 3u, 4u], resumed.Journal().Select(l => l.Block));
            Assert.Equal(3, summary.Blocks);
            var saved = Qkd.Agent.RawData.RawDataDirectory.Open(halves);
            Assert.Equal([1L, 2L, 3L, 4L], saved.BlockNumbers("alice"));
            Assert.Equal([1L, 2L, 3L, 4L], saved.BlockNumbers("bob"));
        }
        finally
        {
            SessionTestRig.DeleteDirectory(directory);
        }
    }
}
