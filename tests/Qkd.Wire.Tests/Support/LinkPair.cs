using Qkd.Wire.Link;

namespace Qkd.Wire.Tests.Support;

/// <summary>
/// Two link endpoints (A: host side, B: board side) joined by two simulated lossy directions and a
/// virtual millisecond clock. Step() advances time, delivers what is due and polls both links.
/// </summary>
internal sealed class LinkPair
{
    public LinkPair(int seed, LinkFaults aToB, LinkFaults bToA, LinkOptions? optionsA = null, LinkOptions? optionsB = null, int latencyMs = 2)
    {
        var random = new Random(seed);
        AToB = new LinkLossyChannel(random, aToB, latencyMs) { Clock = () => Now };
        BToA = new LinkLossyChannel(random, bToA, latencyMs) { Clock = () => Now };
        A = new ReliableLink(AToB, RecorderA, optionsA ?? DefaultOptions());
        B = new ReliableLink(BToA, RecorderB, optionsB ?? DefaultOptions());
    }

    public long Now { get; private set; }
    public ReliableLink A { get; }
    public ReliableLink B { get; }
    public LinkRecorder RecorderA { get; } = new();
    public LinkRecorder RecorderB { get; } = new();
    public LinkLossyChannel AToB { get; }
    public LinkLossyChannel BToA { get; }

    /// <summary>Called after every step; tests put their invariant checks here.</summary>
    public Action? AfterStep { get; set; }

    public static LinkOptions DefaultOptions() => new()
    {
        SendWindow = 8,
        ReceiveCapacity = 8,
        RetransmitTimeoutMs = 40,
        MaxRetransmits = 10,
        NackHoldoffMs = 10,
    };

    public void Connect(ushort sequenceA = 100, ushort sequenceB = 30_000)
    {
        A.Connect(LinkMessages.Hello("host"), sequenceA, Now);
        B.Connect(LinkMessages.Hello("board"), sequenceB, Now);
    }

    public void Step(int ms = 1)
    {
        Now += ms;
        AToB.DeliverDue(Now, B);
        BToA.DeliverDue(Now, A);
        A.Poll(Now);
        B.Poll(Now);
        AfterStep?.Invoke();
    }

    /// <summary>Steps until the condition holds; false if it did not within the time limit.</summary>
    public bool RunUntil(Func<bool> condition, int maxMs = 60_000)
    {
        for (var end = Now + maxMs; Now < end;)
        {
            if (condition())
            {
                return true;
            }
            Step();
        }
        return condition();
    }

    public bool Connected => A.State == LinkState.Connected && B.State == LinkState.Connected && A.PeerSynchronised && B.PeerSynchronised;

    /// <summary>
    /// Streams chunks 0..count-1 from A to B, offering the next one whenever Send accepts it, until
    /// B has them all, A loses B, or time runs out. Returns how many A's Send accepted.
    /// </summary>
    public int Stream(int count, int maxMs = 120_000)
    {
        var accepted = 0;
        for (var end = Now + maxMs; Now < end;)
        {
            while (accepted < count && A.Send(LinkMessages.Chunk((uint)accepted), Now))
            {
                accepted++;
            }
            if (RecorderB.ChunkIds.Count >= count && A.Unacknowledged == 0 || A.State == LinkState.Lost)
            {
                break;
            }
            Step();
        }
        return accepted;
    }
}
