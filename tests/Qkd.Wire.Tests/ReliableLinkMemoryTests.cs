using Qkd.Wire.Link;

namespace Qkd.Wire.Tests;

/// <summary>Steady-state traffic through a link allocates nothing beyond the messages the codec decodes.</summary>
public class ReliableLinkMemoryTests
{
    /// <summary>A preallocated byte pipe: no allocation per frame in the test harness either.</summary>
    private sealed class Pipe : ILinkTransport
    {
        private readonly byte[] _bytes = new byte[1 << 16];
        private int _count;

        public void Write(byte[] buffer, int offset, int count)
        {
            Array.Copy(buffer, offset, _bytes, _count, count);
            _count += count;
        }

        public void DeliverTo(ReliableLink receiver, long nowMs)
        {
            var count = _count;
            _count = 0;
            receiver.OnBytesReceived(_bytes, 0, count, nowMs);
        }
    }

    /// <summary>Counts and checks order without storing anything.</summary>
    private sealed class CountingListener : ILinkListener
    {
        public uint NextChunk;
        public int Problems;

        public void OnMessage(WireMessage message)
        {
            if (message is BasisChunkMessage chunk)
            {
                Problems += chunk.BlockId == NextChunk ? 0 : 1;
                NextChunk++;
            }
        }

        public void OnRejected(byte type, ushort sequence, FrameError reason) => Problems++;
        public void OnUnacknowledged(WireMessage message) => Problems++;
        public void OnPeerLost(int unackedCount) => Problems++;
        public void OnPeerRestarted(int unackedCount) => Problems++;
    }

    [Fact]
    public void Ten_thousand_messages_allocate_no_more_than_the_decoded_messages_themselves()
    {
        var aToB = new Pipe();
        var bToA = new Pipe();
        var listenerA = new CountingListener();
        var listenerB = new CountingListener();
        var options = new LinkOptions { SendWindow = 8, ReceiveCapacity = 8, RetransmitTimeoutMs = 40 };
        var a = new ReliableLink(aToB, listenerA, options);
        var b = new ReliableLink(bToA, listenerB, options);
        var chunk = new BasisChunkMessage(0, 0, new byte[48]); // one message object, reused
        long now = 0;
        a.Connect(new HelloMessage { BoardId = "host" }, 65_000, now);
        b.Connect(new HelloMessage { BoardId = "board" }, 1, now);

        uint sent = 0;
        void Run(uint until)
        {
            while (listenerB.NextChunk < until)
            {
                while (sent < until)
                {
                    chunk.BlockId = sent;
                    if (!a.Send(chunk, now))
                    {
                        break;
                    }
                    sent++;
                }
                now++;
                aToB.DeliverTo(b, now);
                bToA.DeliverTo(a, now);
                a.Poll(now);
                b.Poll(now);
            }
        }

        Run(500); // warm-up: JIT, first-use statics
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_500);
        var linkBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        // Baseline: only the message objects (and their table arrays), read through one reused reader;
        // a reader (or any other buffer) allocated per frame by the link would show up above it.
        var payload = new byte[256];
        var payloadCount = new MsgPackWriter(payload, 0) is var writer ? Write(chunk, writer) : 0;
        var reader = new MsgPackReader(payload, 0, payloadCount);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            reader.Reset(payload, 0, payloadCount);
            BasisChunkMessage.Read(reader);
        }
        var decodeBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, listenerA.Problems + listenerB.Problems);
        Assert.Equal(10_500u, listenerB.NextChunk);
        // Slack for one-off runtime allocations (tiered JIT, timers) on this thread: 64 KiB is far below what
        // any per-frame object would cost over 10^4 frames (at least 24 B each, 240 KB).
        Assert.True(linkBytes <= decodeBytes + 64 * 1024,
            $"10^4 messages allocated {linkBytes} bytes; the messages themselves take {decodeBytes}");
        Assert.InRange(a.Unacknowledged, 0, a.SendWindow);
        Console.WriteLine($"link: {linkBytes} B for 10^4 messages, the messages alone: {decodeBytes} B");
    }

    private static int Write(WireMessage message, MsgPackWriter writer)
    {
        message.Write(writer);
        return writer.Position;
    }
}
