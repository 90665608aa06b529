using Qkd.Wire.Link;

namespace Qkd.Wire.Fuzz;

/// <summary>
/// The input as everything a (hostile or broken) peer sends to a connected ReliableLink that has data
/// in flight and queued: no exception may escape, queues stay within their fixed sizes, and every
/// message the link gives up is reported exactly once. Time advances between pieces of the input so
/// retransmission, backoff, probes and peer loss run too.
/// </summary>
public static class LinkFuzzTarget
{
    private sealed class Discard : ILinkTransport
    {
        public void Write(byte[] buffer, int offset, int count)
        {
        }
    }

    private sealed class Listener : ILinkListener
    {
        public int Unacknowledged;
        public int ReportedByCount;

        public void OnMessage(WireMessage message)
        {
        }

        public void OnRejected(byte type, ushort sequence, FrameError reason)
        {
        }

        public void OnUnacknowledged(WireMessage message) => Unacknowledged++;

        public void OnPeerLost(int unackedCount) => ReportedByCount += unackedCount;

        public void OnPeerRestarted(int unackedCount) => ReportedByCount += unackedCount;
    }

    public static void Run(ReadOnlySpan<byte> input)
    {
        var options = new LinkOptions { SendWindow = 4, ReceiveCapacity = 4, RetransmitTimeoutMs = 20, MaxRetransmits = 3, NackHoldoffMs = 5 };
        var listener = new Listener();
        var link = new ReliableLink(new Discard(), listener, options);
        long now = 0;
        var reportedByConnect = link.Connect(new HelloMessage { BoardId = "fuzz" }, 100, now);
        var sent = 0;
        var buffer = input.ToArray();
        for (var offset = 0; offset < buffer.Length; offset += 7)
        {
            if (link.Send(new StartMessage((uint)sent), now))
            {
                sent++;
            }
            link.OnBytesReceived(buffer, offset, Math.Min(7, buffer.Length - offset), now);
            now += buffer[offset] % 64;
            link.Poll(now);
            if (link.Unacknowledged > link.SendWindow || link.HeldMessages > options.ReceiveCapacity)
            {
                throw new InvalidOperationException("a link queue outgrew its fixed size");
            }
        }
        for (var i = 0; i < 20; i++)
        {
            now += (long)options.PeerLostAfterMs() / 10;
            link.Poll(now);
        }
        if (listener.Unacknowledged != listener.ReportedByCount + reportedByConnect)
        {
            throw new InvalidOperationException("messages given up and the counts reported disagree");
        }
        if (listener.Unacknowledged > sent)
        {
            throw new InvalidOperationException("more messages reported than were sent");
        }
    }
}
