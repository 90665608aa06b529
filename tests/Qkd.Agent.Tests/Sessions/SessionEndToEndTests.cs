using Qkd.Agent.Keys;
using Qkd.Agent.KeySink;
using Qkd.Agent.Sessions;

namespace Qkd.Agent.Tests.Sessions;

public class SessionEndToEndTests
{
    [Fact]
    public void Noiseless_optics_give_identical_keys_and_zero_qber_through_the_whole_chain()
    {
        // Any misalignment of tables, detections or sifting would show up as errors (50 % on the affected bits).
        using var rig = new SessionTestRig(blockPulses: 50_000, errorProbability: 0);
        var summary = rig.Runner(blocks: 2).Run();

        Assert.Equal(2, summary.Blocks);
        Assert.Equal(0, summary.DiscardedBlocks);
        Assert.Equal(2L * rig.BlockPulses, summary.Pulses);
        // Detections ~ Binomial(1e5, 0.5): 6 sigma is about 950.
        Assert.InRange(summary.Detections, 50_000 - 950, 50_000 + 950);
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
        Assert.True(summary.SecretKeyBits > 0, "no secret key: " + File.ReadAllText(Path.Combine(rig.Directory, "blocks.jsonl")));
        var lines = rig.Journal();
        Assert.Equal([1u, 2u], lines.Select(l => l.Block));
        // The optics got the EOM volts of the board files through the emulated DAC (code -> volts) times the amplifier gain.
        var (aliceVolts, bobVolts) = rig.Boards.Bench!.EomVolts!.Value;
        var lsbAtEom = 10.0 / 65536 * rig.AliceBoard.AmplifierGain;
        for (var c = 0; c < 4; c++) Assert.InRange(aliceVolts[c], rig.AliceBoard.ChannelEomVolts[c] - lsbAtEom, rig.AliceBoard.ChannelEomVolts[c] + lsbAtEom);
        for (var c = 0; c < 2; c++) Assert.InRange(bobVolts[c], rig.BobBoard.ChannelEomVolts[c] - lsbAtEom, rig.BobBoard.ChannelEomVolts[c] + lsbAtEom);
        // Each party's store holds its own key of every block that yielded key, and the two hand out the same bits.
        rig.KeyStores.Dispose();
        using var aliceStore = KeyStore.Open(PartyKeyStores.AliceDirectory(rig.Directory));
        using var bobStore = KeyStore.Open(PartyKeyStores.BobDirectory(rig.Directory));
        Assert.Equal(lines.Count(l => l.SecretKeyBits > 0), aliceStore.List().Count);
        Assert.Equal(aliceStore.List().Select(b => (b.Block, b.BitLength)), bobStore.List().Select(b => (b.Block, b.BitLength)));
        var bits = aliceStore.AvailableBits();
        Assert.Equal((long)summary.SecretKeyBits, bits);
        Assert.Equal(aliceStore.Export((int)bits).Bits, bobStore.Export((int)bits).Bits);
    }

    [Fact]
    public void Qber_matches_the_optics_error_rate_and_keys_never_differ()
    {
        using var rig = new SessionTestRig(blockPulses: 100_000, errorProbability: 0.03);
        var summary = rig.Runner(blocks: 2).Run();

        Assert.Equal(2, summary.Blocks);
        // ~5000 sample bits at 3 %: sigma 0.24 %, bounds at about 5 sigma.
        Assert.InRange(summary.Qber, 0.018, 0.042);
        Assert.True(summary.KeysMatch);
        Assert.True(summary.SiftedBits > 2 * 24_000 - 1_000);
    }

    [Fact]
    public void Emulated_board_behind_tcp_loopback_runs_a_block()
    {
        using var rig = new SessionTestRig(blockPulses: 20_000, aliceEndpoint: "emulated:tcp", bobEndpoint: "emulated:tcp", errorProbability: 0);
        var summary = rig.Runner(blocks: 1).Run();

        Assert.Equal(1, summary.Blocks);
        Assert.Equal(20_000, summary.Pulses);
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
    }

    [SkippableFact]
    public void Emulated_board_behind_a_pseudo_terminal_serial_port_runs_a_block()
    {
        using (var probe = Qkd.Simulation.Emulation.PseudoTerminal.TryOpen())
        {
            Skip.If(probe is null, "no pseudo-terminal (openpty) on this system");
        }
        using var rig = new SessionTestRig(blockPulses: 20_000, aliceEndpoint: "emulated:pty", bobEndpoint: "emulated", errorProbability: 0);
        var summary = rig.Runner(blocks: 1).Run();

        Assert.Equal(1, summary.Blocks);
        Assert.Equal(0.0, summary.Qber);
        Assert.True(summary.KeysMatch);
    }
}
