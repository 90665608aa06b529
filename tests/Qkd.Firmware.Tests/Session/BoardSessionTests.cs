using Qkd.Firmware.Session;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Tests.Session;

/// <summary>
/// The full board session driven by a host peer over an in-memory duplex pipe, the real ReliableLink
/// on both ends: Hello, Configure, chunks, ArmBlock, Start, DetectionBatches, BlockDone, Heartbeat.
/// </summary>
public class BoardSessionTests
{
    private const int Pulses = 100_000;

    [Fact]
    public void The_board_introduces_itself_in_hello_and_answers_configure_with_the_dac_codes_read_back()
    {
        using var rig = new SessionRig(BoardRole.Bob);
        rig.Connect();

        var hello = Assert.Single(rig.Host.Received<HelloMessage>());
        Assert.Equal(("bob-esp32", BoardRole.Bob, WireConstants.ProtocolVersion), (hello.BoardId, hello.Role, hello.ProtocolVersion));
        Assert.Equal((uint)(Pulses / 8), hello.TableBufferBytes);
        Assert.Equal(PulseEngineKind.Managed, hello.PulseEngine);

        rig.ConfigureBoard();

        var readbacks = rig.Host.Received<DacReadbackMessage>().ToList();
        Assert.Equal(Boards.BobCodes, readbacks.Select(r => r.Value));
        Assert.Equal([0, 1], readbacks.Select(r => (int)r.Channel));
        Assert.Empty(rig.Host.Received<ErrorMessage>());
    }

    [Fact]
    public void Bob_streams_a_block_of_detections_then_block_done_with_its_totals()
    {
        using var rig = new SessionRig(BoardRole.Bob);
        rig.Connect();
        rig.ConfigureBoard();
        var table = Boards.RandomTable(Pulses, 1, seed: 11);
        var clicks = Boards.RandomClicks(Pulses, oneIn: 60, seed: 12);

        rig.SendTable(5, table);
        rig.Send(new ArmBlockMessage(5, Pulses));
        rig.Send(new StartMessage(5));
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Any(s => s.State == BlockState.Running)));
        Assert.Contains(rig.Host.Received<BlockStatusMessage>(), s => s.BlockId == 5 && s.State == BlockState.Armed);
        rig.Engine.Clicks = clicks;
        rig.FirePulses(Pulses);
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockDoneMessage>().Any()));

        var expected = Enumerable.Range(0, Pulses).Where(p => clicks[p] != 0).Select(p => (p, clicks[p])).ToList();
        Assert.Equal(expected, rig.DeliveredRecords(5));
        var done = Assert.Single(rig.Host.Received<BlockDoneMessage>());
        Assert.Equal((5u, (uint)Pulses, 0u, (uint)expected.Count, 0u), (done.BlockId, done.Pulses, done.MissedTriggers, done.Detections, done.Overruns));
        Assert.Equal((uint)expected.Count(r => r.Item2 == DetectorCode.DoubleClick), done.DoubleClicks);
        Assert.True(done.DoubleClicks > 0);
        var lastBatch = rig.Host.Messages.FindLastIndex(m => m is DetectionBatchMessage);
        Assert.True(lastBatch < rig.Host.Messages.IndexOf(done), "BlockDone must follow the block's last batch");
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Any(s => s.State == BlockState.Done)));
        for (var p = 0; p < Pulses; p++)
        {
            if (rig.Engine.MuxLog[p] != Qkd.Firmware.Engine.PulseCodes.Get(table, p, 1)) Assert.Fail($"pulse {p}: basis differs from the host's table");
        }
    }

    [Fact]
    public void Missed_triggers_reach_the_host_in_block_done_and_the_block_is_reported_aborted()
    {
        using var rig = new SessionRig(BoardRole.Alice, maxPulses: 10_000);
        rig.Connect();
        rig.ConfigureBoard();
        rig.SendTable(1, Boards.RandomTable(10_000, 2, seed: 13));
        rig.Send(new ArmBlockMessage(1, 10_000));
        rig.Send(new StartMessage(1));
        Assert.True(rig.RunUntil(() => rig.Role.Running is not null));
        rig.Engine.Misses = Enumerable.Range(0, 10_000).Select(p => p % 1000 == 999).ToArray();

        rig.FirePulses(10_000);
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Any(s => s.State is BlockState.Done or BlockState.Aborted)));

        var done = Assert.Single(rig.Host.Received<BlockDoneMessage>());
        Assert.Equal((10_000u, 10u), (done.Pulses, done.MissedTriggers));
        Assert.Equal(BlockState.Aborted, rig.Host.Received<BlockStatusMessage>().Last().State);
    }

    [Fact]
    public void Heartbeats_carry_the_uptime_and_the_ad5754_alert_bits()
    {
        using var rig = new SessionRig(BoardRole.Alice);
        rig.Connect();
        rig.ConfigureBoard();
        rig.Hardware.Dac.SetAlerts(thermalShutdown: true, overcurrentMask: 0b0101);
        var before = rig.Host.Received<HeartbeatMessage>().Count();

        rig.RunUntil(() => rig.Host.Received<HeartbeatMessage>().Count() >= before + 2, maxMs: 1_000);

        var heartbeat = rig.Host.Received<HeartbeatMessage>().Last();
        Assert.Equal(0x20u | (0b0101u << 7), heartbeat.Alerts);
        Assert.InRange(heartbeat.UptimeMs, 100u, (uint)rig.Now);
    }

    [Fact]
    public void A_corrupted_and_a_dropped_byte_on_the_pipe_lose_no_detection_batch()
    {
        using var rig = new SessionRig(BoardRole.Bob, maxPulses: 20_000);
        rig.Connect();
        rig.ConfigureBoard();
        var batchFrames = 0;
        rig.ToHost.Tamper = (type, frame) =>
        {
            if (type != MessageType.DetectionBatch) return frame;
            batchFrames++;
            if (batchFrames == 1) frame[frame.Length / 2] ^= 0x40;                              // a flipped bit
            if (batchFrames == 3) return frame.Where((_, i) => i != frame.Length / 3).ToArray(); // a lost byte
            return frame;
        };
        var clicks = Boards.RandomClicks(20_000, oneIn: 20, seed: 14);
        rig.SendTable(2, Boards.RandomTable(20_000, 1, seed: 15));
        rig.Send(new ArmBlockMessage(2, 20_000));
        rig.Send(new StartMessage(2));
        Assert.True(rig.RunUntil(() => rig.Role.Running is not null));
        rig.Engine.Clicks = clicks;

        rig.FirePulses(20_000, perMs: 500);
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockDoneMessage>().Any()));

        Assert.True(rig.Host.Link.Statistics.BadFrames >= 2, "both damaged frames must have been seen and skipped");
        var expected = Enumerable.Range(0, 20_000).Where(p => clicks[p] != 0).Select(p => (p, clicks[p])).ToList();
        Assert.Equal(expected, rig.DeliveredRecords(2));
    }

    [Fact]
    public void Batches_the_link_gave_up_when_the_host_was_lost_are_sent_again_after_the_new_handshake()
    {
        using var rig = new SessionRig(BoardRole.Bob, maxPulses: 20_000);
        rig.Connect();
        rig.ConfigureBoard();
        var clicks = Boards.RandomClicks(20_000, oneIn: 25, seed: 16);
        rig.SendTable(3, Boards.RandomTable(20_000, 1, seed: 17));
        rig.Send(new ArmBlockMessage(3, 20_000));
        rig.Send(new StartMessage(3));
        Assert.True(rig.RunUntil(() => rig.Role.Running is not null));
        rig.Engine.Clicks = clicks;

        rig.ToHost.Connected = false; // pulled cable: the board's frames are lost
        rig.FirePulses(20_000, perMs: 1_000);
        Assert.True(rig.RunUntil(() => rig.Session.Link.State == LinkState.Lost), "the board should give the host up");
        Assert.True(rig.Session.Outbox.Pending > 0, "unacknowledged batches stay on the board");
        rig.ToHost.Connected = true;
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockDoneMessage>().Any(), maxMs: 5_000));

        var expected = Enumerable.Range(0, 20_000).Where(p => clicks[p] != 0).Select(p => (p, clicks[p])).ToList();
        Assert.Equal(expected, rig.DeliveredRecords(3));
        Assert.Equal((uint)expected.Count, rig.Host.Received<BlockDoneMessage>().Single().Detections);
    }

    [Fact]
    public void Chunks_of_a_third_block_wait_for_a_free_buffer_holding_back_the_hosts_credits()
    {
        using var rig = new SessionRig(BoardRole.Alice, maxPulses: 4_000);
        rig.Connect();
        rig.ConfigureBoard();
        rig.SendTable(1, Boards.RandomTable(4_000, 2, seed: 18));
        rig.Send(new ArmBlockMessage(1, 4_000));
        rig.Send(new StartMessage(1));
        rig.SendTable(2, Boards.RandomTable(4_000, 2, seed: 19));
        rig.Send(new ArmBlockMessage(2, 4_000));
        var third = Boards.RandomTable(4_000, 2, seed: 20);

        rig.SendTable(4, third, chunkBytes: 200);
        rig.RunUntil(() => false, maxMs: 50);

        Assert.True(rig.Session.InboundWaiting > 0);
        Assert.True(rig.Session.Link.ReceiveCredits < SessionRig.LinkOptions().ReceiveCapacity);
        Assert.Null(rig.Role.Tables.Find(4));
        rig.FirePulses(4_000);
        Assert.True(rig.RunUntil(() => rig.Role.Tables.Find(4) is { } b && b.HasTableFor(4_000)));
        Assert.Equal(0, rig.Session.InboundWaiting);
        Assert.Empty(rig.Host.Received<ErrorMessage>());
    }

    [Fact]
    public void Dac_write_is_verified_and_answered_with_the_code_read_back()
    {
        using var rig = new SessionRig(BoardRole.Alice);
        rig.Connect();
        rig.ConfigureBoard();

        rig.Send(new DacWriteMessage(2, 0x1234));
        Assert.True(rig.RunUntil(() => rig.Host.Received<DacReadbackMessage>().Count() == 5));

        var readback = rig.Host.Received<DacReadbackMessage>().Last();
        Assert.Equal((2, 0, 0x1234), (readback.Channel, readback.Register, (int)readback.Value));
        Assert.Equal(0x1234, rig.Hardware.Dac.DacRegister(2));
    }

    public static TheoryData<string, WireMessage, ushort, string> Refusals => new()
    {
        { "bench", new BenchRunMessage(1000, 1, [0, 1]), ErrorCode.UnsupportedMessage, "bench not available" },
        { "unexpected", new BlockDoneMessage { BlockId = 1 }, ErrorCode.UnsupportedMessage, "BlockDone" },
        { "arm unknown", new ArmBlockMessage(42, 10), ErrorCode.BadState, "block 42" },
        { "start unarmed", new StartMessage(42), ErrorCode.BadState, "not armed" },
        { "dac channel", new DacWriteMessage(3, 1), ErrorCode.BadPayload, "channel 3" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Requests_the_board_cannot_carry_out_get_an_error_reply_and_the_session_goes_on(string name, WireMessage request, ushort code, string text)
    {
        using var rig = new SessionRig(BoardRole.Bob);
        rig.Connect();
        rig.ConfigureBoard();

        rig.Send(request);
        Assert.True(rig.RunUntil(() => rig.Host.Received<ErrorMessage>().Any()), name);

        var error = Assert.Single(rig.Host.Received<ErrorMessage>());
        Assert.Equal(code, error.Code);
        Assert.Contains(text, error.Text);
        rig.Send(new DacWriteMessage(1, 7));
        Assert.True(rig.RunUntil(() => rig.Host.Received<DacReadbackMessage>().Any(r => r.Value == 7)), "the board must go on after an error");
    }

    [Fact]
    public void A_bench_runner_answers_bench_run_with_its_report()
    {
        using var rig = new SessionRig(BoardRole.Alice);
        rig.Session.BenchRunner = new FixedBench();
        rig.Connect();

        rig.Send(new BenchRunMessage(5000, 3, [0, 1, 1, 0]));
        Assert.True(rig.RunUntil(() => rig.Host.Received<BenchReportMessage>().Any()));

        var report = rig.Host.Received<BenchReportMessage>().Single();
        Assert.Equal((5000u, 3u, 2), (report.RateHz, report.Repeats, report.Timings.Length));
    }

    [Fact]
    public void A_configure_for_the_other_role_is_refused_with_the_reason()
    {
        using var rig = new SessionRig(BoardRole.Bob);
        rig.Connect();

        rig.Send(Boards.Configure(BoardRole.Alice));
        Assert.True(rig.RunUntil(() => rig.Host.Received<ErrorMessage>().Any()));

        var error = rig.Host.Received<ErrorMessage>().Single();
        Assert.Equal(ErrorCode.BadPayload, error.Code);
        Assert.Contains("role", error.Text);
        Assert.False(rig.Role.IsConfigured);
    }

    [Fact]
    public void A_host_restart_gets_the_boards_hello_again_and_voids_half_loaded_tables_while_status_requests_answer()
    {
        using var rig = new SessionRig(BoardRole.Alice, maxPulses: 4_000);
        rig.Connect();
        rig.ConfigureBoard();
        rig.SendTable(6, Boards.RandomTable(4_000, 2, seed: 41));
        rig.Send(new BlockStatusMessage(6, 0, 0)); // a BlockStatus from the host asks for the block's status
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Any(s => s.BlockId == 6)));
        Assert.Equal(BlockState.Loading, rig.Host.Received<BlockStatusMessage>().Single(s => s.BlockId == 6).State);

        rig.Host.Link.Connect(HostPeer.Hello(), 9_000, rig.Now); // the host agent restarted
        Assert.True(rig.RunUntil(() => rig.Host.Received<HelloMessage>().Count() == 2 && rig.Host.Link.State == LinkState.Connected));

        Assert.Null(rig.Role.Tables.Find(6));
        rig.Send(new BlockStatusMessage(6, 0, 0));
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Count(s => s.BlockId == 6) == 2));
        Assert.Equal(BlockState.Empty, rig.Host.Received<BlockStatusMessage>().Last(s => s.BlockId == 6).State);
        Assert.True(rig.Role.IsConfigured);
    }

    private sealed class FixedBench : IBenchRunner
    {
        public BenchReportMessage Run(BenchRunMessage request)
        {
            var timings = new List<BenchTiming>();
            for (var i = 0; i + 1 < request.Transitions.Length; i += 2) timings.Add(new BenchTiming(request.Transitions[i], request.Transitions[i + 1], 900, 1200));
            return new BenchReportMessage(request.RateHz, request.Repeats, timings.ToArray());
        }
    }
}

/// <summary>Buffers are allocated once: streaming a block's detections allocates nothing on the board.</summary>
public class BoardSessionAllocationTests
{
    [Fact]
    public void Streaming_detection_batches_and_block_done_allocates_nothing_on_the_board()
    {
        using var rig = new SessionRig(BoardRole.Bob, maxPulses: 50_000, heartbeatMs: 1_000_000);
        rig.Connect();
        rig.ConfigureBoard();
        rig.SendTable(1, Boards.RandomTable(50_000, 1, seed: 31));
        rig.Send(new ArmBlockMessage(1, 50_000));
        rig.Send(new StartMessage(1));
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockStatusMessage>().Any(s => s.State == BlockState.Running)));
        rig.Engine.Clicks = Boards.RandomClicks(50_000, oneIn: 20, seed: 32);
        rig.FirePulses(5_000, perMs: 500); // warm-up: first batches through every code path
        rig.RunUntil(() => false, maxMs: 20);

        rig.BoardAllocatedBytes = 0;
        rig.FirePulses(45_000, perMs: 500);
        Assert.True(rig.RunUntil(() => rig.Host.Received<BlockDoneMessage>().Any()));

        Assert.True(rig.Host.Received<DetectionBatchMessage>().Count() > 10);
        Assert.Equal(0, rig.BoardAllocatedBytes);
    }
}
