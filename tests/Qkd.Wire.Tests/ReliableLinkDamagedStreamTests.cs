using FsCheck.Xunit;
using Qkd.Wire.Link;
using Qkd.Wire.Tests.Support;

namespace Qkd.Wire.Tests;

/// <summary>
/// Two links joined by a simulated serial line that damages the byte stream (seeded, virtual clock):
/// every message arrives exactly once and in order, or the link reports exactly what was not acknowledged.
/// </summary>
public class ReliableLinkDamagedStreamTests
{
    private static LinkFaults FaultsNamed(string name) => name switch
    {
        "bit flips" => new LinkFaults { BitFlipPerByte = 0.002 },
        "truncation" => new LinkFaults { Truncation = 0.05 },
        "garbage between frames" => new LinkFaults { Garbage = 0.1 },
        "duplicated frames" => new LinkFaults { Duplication = 0.1 },
        "reordered frames" => new LinkFaults { Reordering = 0.1 },
        "lost bytes" => new LinkFaults { ByteLossPerByte = 0.002 },
        "lost frames" => new LinkFaults { FrameLoss = 0.05 },
        "everything at once" => new LinkFaults
        {
            FrameLoss = 0.02, BitFlipPerByte = 0.0005, ByteLossPerByte = 0.0005, Truncation = 0.02,
            Garbage = 0.03, Duplication = 0.03, Reordering = 0.03,
        },
        _ => throw new ArgumentException(name),
    };

    /// <summary>Checks after every step that no queue outgrows its fixed capacity.</summary>
    private static void CheckBounds(LinkPair pair, LinkOptions receiverOptions)
    {
        pair.AfterStep = () =>
        {
            Assert.InRange(pair.A.Unacknowledged, 0, pair.A.SendWindow);
            Assert.InRange(pair.A.InFlight, 0, pair.A.Unacknowledged);
            Assert.InRange(pair.B.HeldMessages, 0, receiverOptions.ReceiveCapacity);
            Assert.InRange(pair.B.Unacknowledged, 0, pair.B.SendWindow);
        };
    }

    private static List<uint> Range(int start, int count) => Enumerable.Range(start, count).Select(i => (uint)i).ToList();

    [Theory]
    [InlineData("bit flips")]
    [InlineData("truncation")]
    [InlineData("garbage between frames")]
    [InlineData("duplicated frames")]
    [InlineData("reordered frames")]
    [InlineData("lost bytes")]
    [InlineData("lost frames")]
    [InlineData("everything at once")]
    public void Every_message_arrives_exactly_once_and_in_order_through_a_damaged_line(string faultName)
    {
        var faults = FaultsNamed(faultName);
        var pair = new LinkPair(seed: faultName.Sum(c => c), faults, faults);
        CheckBounds(pair, LinkPair.DefaultOptions());
        pair.Connect();

        var accepted = pair.Stream(1500);

        Assert.Equal(1500, accepted);
        Assert.Equal(Range(0, 1500), pair.RecorderB.ChunkIds);
        Assert.Empty(pair.RecorderA.PeerLost);
        Assert.Equal(0, pair.A.Unacknowledged);
        Assert.True(pair.AToB.FramesDamaged + pair.AToB.FramesDropped + pair.AToB.FramesDuplicated + pair.AToB.FramesReordered > 20,
            "the line did not damage the stream");
        var b = pair.B.Statistics;
        switch (faultName)
        {
            case "duplicated frames":
                Assert.True(b.Duplicates > 0);
                break;
            case "reordered frames":
                Assert.True(b.OutOfOrder > 0 && pair.A.Statistics.FramesResent > 0);
                break;
            default:
                Assert.True(b.BadFrames + b.OutOfOrder > 0 && pair.A.Statistics.FramesResent > 0);
                break;
        }
    }

    [Fact]
    public void Both_directions_carry_data_at_once_through_a_damaged_line()
    {
        var faults = FaultsNamed("everything at once");
        var pair = new LinkPair(seed: 21, faults, faults);
        CheckBounds(pair, LinkPair.DefaultOptions());
        pair.Connect();
        uint toBoard = 0, toHost = 0;
        var fromBoard = new List<uint>();
        pair.RecorderA.OnMessageHook = m =>
        {
            if (m is StartMessage start)
            {
                fromBoard.Add(start.BlockId);
            }
        };

        for (var ms = 0; ms < 60_000 && (pair.RecorderB.ChunkIds.Count < 800 || fromBoard.Count < 800); ms++)
        {
            while (toBoard < 800 && pair.A.Send(LinkMessages.Chunk(toBoard), pair.Now))
            {
                toBoard++;
            }
            while (toHost < 800 && pair.B.Send(new StartMessage(toHost), pair.Now))
            {
                toHost++;
            }
            pair.Step();
        }

        Assert.Equal(Range(0, 800), pair.RecorderB.ChunkIds);
        Assert.Equal(Range(0, 800), fromBoard);
        Assert.Empty(pair.RecorderA.PeerLost);
        Assert.Empty(pair.RecorderB.PeerLost);
        Assert.True(pair.A.Statistics.FramesResent > 0 && pair.B.Statistics.FramesResent > 0);
    }

    [Fact]
    public void Lost_acks_are_healed_by_later_cumulative_acks_and_nothing_is_delivered_twice()
    {
        var pair = new LinkPair(seed: 7, LinkFaults.None, new LinkFaults { FrameLoss = 0.4, FrameLossType = MessageType.Ack });
        pair.Connect();

        pair.Stream(1000);

        Assert.Equal(Range(0, 1000), pair.RecorderB.ChunkIds);
        Assert.True(pair.A.Statistics.AcksReceived < pair.B.Statistics.AcksSent * 0.7);
        Assert.Empty(pair.RecorderA.PeerLost);
    }

    [Fact]
    public void Sequence_numbers_wrap_past_65535_without_loss_duplication_or_reordering()
    {
        var faults = new LinkFaults { FrameLoss = 0.03, Reordering = 0.03, Duplication = 0.03 };
        var pair = new LinkPair(seed: 65535, faults, faults);
        pair.Connect(sequenceA: 65_000, sequenceB: 65_530);

        pair.Stream(1200); // A's sequence runs 65001 .. 65535, 0 .. 664

        Assert.Equal(Range(0, 1200), pair.RecorderB.ChunkIds);
        Assert.Empty(pair.RecorderA.PeerLost);
    }

    [Fact]
    public void A_pulled_cable_ends_in_peer_lost_with_exactly_the_unacknowledged_messages_reported()
    {
        var pair = new LinkPair(seed: 3, LinkFaults.None, LinkFaults.None);
        pair.Connect();
        var accepted = 0;
        while (pair.RecorderB.ChunkIds.Count < 100)
        {
            while (pair.A.Send(LinkMessages.Chunk((uint)accepted), pair.Now))
            {
                accepted++;
            }
            pair.Step();
        }
        pair.AToB.Cut = true;
        var cutAt = pair.Now;
        // Lost within the documented bound (backoff included) from the last ack, which may still be on
        // its way back (latency) when the cable goes.
        for (var end = pair.Now + LinkPair.DefaultOptions().PeerLostAfterMs() + 10; pair.A.State != LinkState.Lost && pair.Now < end;)
        {
            while (pair.A.Send(LinkMessages.Chunk((uint)accepted), pair.Now))
            {
                accepted++;
            }
            pair.Step();
        }

        Assert.True(LinkState.Lost == pair.A.State, $"not lost {pair.Now - cutAt} ms after the cut");
        Assert.True(pair.Now - cutAt > LinkPair.DefaultOptions().PeerLostAfterMs() / 2, "lost too early: the backoff did not run");
        var delivered = pair.RecorderB.ChunkIds;
        var reported = pair.RecorderA.UnacknowledgedChunkIds;
        Assert.Equal(Range(0, delivered.Count), delivered);
        Assert.Equal(Range(delivered.Count, accepted - delivered.Count), reported);
        Assert.Equal([reported.Count], pair.RecorderA.PeerLost);
        Assert.Equal(pair.A.SendWindow, reported.Count); // the ring was full when the cable went
    }

    [Fact]
    public void After_the_cable_is_back_a_new_connect_resynchronises_both_sides_and_the_reported_messages_can_be_sent_again()
    {
        var pair = new LinkPair(seed: 4, LinkFaults.None, LinkFaults.None);
        pair.Connect();
        pair.Stream(50);
        pair.AToB.Cut = true;
        for (uint i = 50; i < 55; i++)
        {
            pair.A.Send(LinkMessages.Chunk(i), pair.Now);
        }
        Assert.True(pair.RunUntil(() => pair.A.State == LinkState.Lost, maxMs: (int)LinkPair.DefaultOptions().PeerLostAfterMs() + 10));
        Assert.Equal(Range(50, 5), pair.RecorderA.UnacknowledgedChunkIds);

        pair.AToB.Cut = false;
        pair.A.Connect(LinkMessages.Hello("host"), 4242, pair.Now);
        Assert.True(pair.RunUntil(() => pair.Connected, maxMs: 1_000));
        Assert.Equal([0], pair.RecorderB.PeerRestarted); // B restarted its side for A's new epoch
        foreach (var message in pair.RecorderA.Unacknowledged)
        {
            Assert.True(pair.A.Send(message, pair.Now));
        }
        Assert.True(pair.RunUntil(() => pair.RecorderB.ChunkIds.Count == 55, maxMs: 1_000));
        Assert.Equal(Range(0, 55), pair.RecorderB.ChunkIds);
    }

    [Fact]
    public void A_board_that_restarts_mid_stream_is_resynchronised_and_the_host_resends_what_was_unacknowledged()
    {
        var faults = new LinkFaults { FrameLoss = 0.02 };
        var pair = new LinkPair(seed: 11, faults, faults);
        pair.RecorderA.OnMessageHook = _ => { };
        pair.Connect();
        pair.Stream(200);

        var resend = new Queue<WireMessage>();
        var restarts = 0;
        var recorderA = pair.RecorderA;
        for (uint i = 200; i < 230; i++)
        {
            pair.A.Send(LinkMessages.Chunk(i), pair.Now);
            pair.Step();
        }
        pair.B.Connect(LinkMessages.Hello("board"), 12_345, pair.Now); // the board rebooted
        Assert.True(pair.RunUntil(() => recorderA.PeerRestarted.Count > 0, maxMs: 2_000));
        restarts = recorderA.PeerRestarted.Count;
        foreach (var message in recorderA.Unacknowledged)
        {
            resend.Enqueue(message);
        }
        Assert.Equal(recorderA.PeerRestarted[0], resend.Count);
        Assert.True(pair.RunUntil(() => pair.Connected, maxMs: 2_000));
        while (resend.Count > 0)
        {
            if (pair.A.Send(resend.Peek(), pair.Now))
            {
                resend.Dequeue();
            }
            pair.Step();
        }
        Assert.True(pair.RunUntil(() => pair.A.Unacknowledged == 0, maxMs: 5_000));

        var ids = pair.RecorderB.ChunkIds;
        Assert.Equal(Range(0, 230), ids.Distinct().Order().ToList()); // nothing lost across the reboot
        var afterReboot = ids.Skip(ids.LastIndexOf(ids.Max()) + 1).ToList();
        Assert.Equal(afterReboot.Order().ToList(), afterReboot); // the resent ones arrive in order
        Assert.Equal(1, restarts);
        Assert.Empty(recorderA.PeerLost);
    }

    [Property(MaxTest = 25)]
    public void Under_any_fault_schedule_delivery_is_an_in_order_prefix_and_loss_reports_exactly_the_rest(
        int seed, byte lossPercent, byte flipsPer10k, byte garbagePercent, byte duplicatePercent, byte reorderPercent, bool lossOnlyOfAcks)
    {
        var faults = new LinkFaults
        {
            FrameLoss = lossPercent % 40 / 100.0,
            FrameLossType = lossOnlyOfAcks ? MessageType.Ack : null,
            BitFlipPerByte = flipsPer10k % 20 / 10_000.0,
            Garbage = garbagePercent % 20 / 100.0,
            Truncation = garbagePercent % 7 / 100.0,
            Duplication = duplicatePercent % 20 / 100.0,
            Reordering = reorderPercent % 20 / 100.0,
        };
        var options = LinkPair.DefaultOptions();
        options.MaxRetransmits = 4;
        var pair = new LinkPair(seed, faults, faults, options, options);
        CheckBounds(pair, options);
        pair.Connect();

        var accepted = pair.Stream(300, maxMs: 60_000);

        var delivered = pair.RecorderB.ChunkIds;
        Assert.Equal(Range(0, delivered.Count), delivered);
        if (pair.A.State == LinkState.Lost)
        {
            var reported = pair.RecorderA.UnacknowledgedChunkIds;
            Assert.Equal([reported.Count], pair.RecorderA.PeerLost);
            var firstUnacked = accepted - reported.Count;
            Assert.InRange(firstUnacked, 0, delivered.Count); // everything before it was acknowledged, so delivered
            Assert.Equal(Range(firstUnacked, reported.Count), reported);
        }
        else
        {
            Assert.Equal(300, delivered.Count);
            Assert.Empty(pair.RecorderA.Unacknowledged);
        }
    }
}
