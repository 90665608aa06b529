using Qkd.Wire.Link;
using Qkd.Wire.Tests.Support;

namespace Qkd.Wire.Tests;

/// <summary>Credit-based flow control between two links: a receiver that grants nothing stops the sender.</summary>
public class ReliableLinkFlowControlTests
{
    private static LinkOptions Receiver(int capacity)
    {
        var options = LinkPair.DefaultOptions();
        options.ReceiveCapacity = capacity;
        options.AutoRelease = false;
        return options;
    }

    private static void Offer(LinkPair pair, ref int accepted, int count)
    {
        while (accepted < count && pair.A.Send(LinkMessages.Chunk((uint)accepted), pair.Now))
        {
            accepted++;
        }
    }

    [Fact]
    public void A_receiver_that_grants_no_credit_stops_the_sender_without_it_declaring_the_peer_lost_and_releasing_resumes_it()
    {
        var pair = new LinkPair(seed: 1, LinkFaults.None, LinkFaults.None, optionsB: Receiver(capacity: 4));
        pair.Connect();
        var accepted = 0;
        for (var ms = 0; ms < 3_000; ms++) // far beyond every retransmission timeout
        {
            Offer(pair, ref accepted, 20);
            Assert.InRange(pair.A.InFlight, 0, 4); // never beyond the receiver's credits
            Assert.InRange(pair.B.HeldMessages, 0, 4);
            pair.Step();
        }

        Assert.Equal([0u, 1, 2, 3], pair.RecorderB.ChunkIds);
        Assert.Equal(LinkState.Connected, pair.A.State);
        Assert.Equal(0, pair.A.InFlight);
        Assert.Equal(pair.A.SendWindow, pair.A.Queued);
        Assert.Equal(12, accepted); // 4 delivered and acknowledged, then the ring filled up and Send said no
        Assert.Equal(0, pair.A.Statistics.FramesResent);

        pair.B.Release(4, pair.Now);
        Assert.True(pair.RunUntil(() => pair.RecorderB.ChunkIds.Count == 8, maxMs: 200));
        Assert.Equal(4, pair.B.HeldMessages);

        pair.RecorderB.OnMessageHook = _ => pair.B.Release(1, pair.Now);
        pair.B.Release(4, pair.Now);
        for (var ms = 0; ms < 2_000 && pair.RecorderB.ChunkIds.Count < 20; ms++)
        {
            Offer(pair, ref accepted, 20);
            pair.Step();
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (uint)i), pair.RecorderB.ChunkIds);
    }

    [Fact]
    public void A_lost_credit_grant_does_not_stall_the_sender()
    {
        var pair = new LinkPair(seed: 2, LinkFaults.None,
            new LinkFaults { FrameLoss = 1.0, FrameLossType = MessageType.Credit, MaxFrameLosses = 2 },
            optionsB: Receiver(capacity: 2));
        pair.Connect();
        var accepted = 0;
        for (var ms = 0; ms < 200; ms++)
        {
            Offer(pair, ref accepted, 6);
            pair.Step();
        }
        Assert.Equal(2, pair.RecorderB.ChunkIds.Count);

        pair.B.Release(2, pair.Now);
        Assert.True(pair.RunUntil(() => pair.RecorderB.ChunkIds.Count == 4, maxMs: 500));

        // The first grant was lost; the repeated grant or the answer to the sender's next probe healed it.
        Assert.InRange(pair.BToA.FramesDropped, 1, 2);
        Assert.Equal([0u, 1, 2, 3], pair.RecorderB.ChunkIds);
    }

    [Fact]
    public void The_sender_never_has_more_in_flight_than_its_window_even_when_the_receiver_grants_more()
    {
        var optionsA = LinkPair.DefaultOptions();
        optionsA.SendWindow = 3;
        var optionsB = LinkPair.DefaultOptions();
        optionsB.ReceiveCapacity = 64;
        var pair = new LinkPair(seed: 5, LinkFaults.None, LinkFaults.None, optionsA, optionsB, latencyMs: 10);
        var maxInFlight = 0;
        pair.AfterStep = () => maxInFlight = Math.Max(maxInFlight, pair.A.InFlight);
        pair.Connect();

        pair.Stream(100);

        Assert.Equal(100, pair.RecorderB.ChunkIds.Count);
        Assert.Equal(3, maxInFlight);
    }
}
