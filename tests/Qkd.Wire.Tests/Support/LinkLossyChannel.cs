using Qkd.Wire.Link;

namespace Qkd.Wire.Tests.Support;

/// <summary>Fault probabilities of one direction; each applies per frame (per byte for bit flips and byte loss).</summary>
internal sealed record LinkFaults
{
    public double FrameLoss { get; init; }
    public double BitFlipPerByte { get; init; }
    public double ByteLossPerByte { get; init; }
    public double Truncation { get; init; }
    public double Garbage { get; init; }
    public double Duplication { get; init; }
    public double Reordering { get; init; }

    /// <summary>Drop only frames of this type (e.g. Ack to lose acks); null drops any type.</summary>
    public byte? FrameLossType { get; init; }

    /// <summary>Stop dropping whole frames after this many; null for no limit.</summary>
    public int? MaxFrameLosses { get; init; }

    public static LinkFaults None { get; } = new();

    public override string ToString() =>
        $"loss={FrameLoss:0.###}{(FrameLossType is { } t ? "(type " + t + ")" : "")} flip/B={BitFlipPerByte:0.####} " +
        $"byteLoss/B={ByteLossPerByte:0.####} trunc={Truncation:0.###} garbage={Garbage:0.###} dup={Duplication:0.###} reorder={Reordering:0.###}";
}

/// <summary>
/// One direction of a simulated serial line: frames written by one link arrive at the other after a
/// latency, damaged as the seeded faults say. Time is the test's virtual clock.
/// </summary>
internal sealed class LinkLossyChannel(Random random, LinkFaults faults, int latencyMs) : ILinkTransport
{
    private readonly List<(long At, long Order, byte[] Bytes)> _inTransit = [];
    private long _order;

    public Func<long> Clock { get; set; } = () => 0;

    public LinkFaults Faults { get; set; } = faults;

    /// <summary>While true every byte written is lost (a pulled cable).</summary>
    public bool Cut { get; set; }

    public int FramesWritten { get; private set; }
    public int FramesDamaged { get; private set; }
    public int FramesDropped { get; private set; }
    public int FramesDuplicated { get; private set; }
    public int FramesReordered { get; private set; }

    /// <summary>Frames of each type written, whatever happened to them.</summary>
    public Dictionary<byte, int> WrittenByType { get; } = [];

    public bool IsIdle => _inTransit.Count == 0;

    public void Write(byte[] buffer, int offset, int count)
    {
        FramesWritten++;
        var type = FrameType(buffer, offset, count);
        WrittenByType[type] = WrittenByType.GetValueOrDefault(type) + 1;
        var lose = random.NextDouble() < Faults.FrameLoss
            && (Faults.FrameLossType is null || Faults.FrameLossType == type)
            && (Faults.MaxFrameLosses is null || FramesDropped < Faults.MaxFrameLosses);
        if (Cut || lose)
        {
            FramesDropped++;
            return;
        }
        var frame = new List<byte>(count + 16);
        var damaged = false;
        if (random.NextDouble() < Faults.Garbage)
        {
            damaged = true;
            for (var n = random.Next(1, 12); n > 0; n--)
            {
                frame.Add((byte)random.Next(256));
            }
            if (random.Next(4) != 0)
            {
                frame.Add(0); // mostly the garbage ends at a delimiter; sometimes it runs into the frame
            }
        }
        for (var i = 0; i < count; i++)
        {
            var b = buffer[offset + i];
            if (random.NextDouble() < Faults.ByteLossPerByte)
            {
                damaged = true;
                continue;
            }
            if (random.NextDouble() < Faults.BitFlipPerByte)
            {
                damaged = true;
                b ^= (byte)(1 << random.Next(8));
            }
            frame.Add(b);
        }
        if (frame.Count > 1 && random.NextDouble() < Faults.Truncation)
        {
            damaged = true;
            var keep = random.Next(1, frame.Count);
            var withDelimiter = random.Next(2) == 0;
            frame.RemoveRange(keep, frame.Count - keep);
            if (withDelimiter)
            {
                frame.Add(0);
            }
        }
        if (damaged)
        {
            FramesDamaged++;
        }
        var now = Clock();
        var delay = latencyMs;
        if (random.NextDouble() < Faults.Reordering)
        {
            FramesReordered++;
            delay += latencyMs + 1 + random.Next(3); // frames written after this one overtake it
        }
        Enqueue(now + delay, frame.ToArray());
        if (random.NextDouble() < Faults.Duplication)
        {
            FramesDuplicated++;
            Enqueue(now + delay + random.Next(0, 3), frame.ToArray());
        }
    }

    /// <summary>Hands every chunk due by <paramref name="now"/> to the receiving link, in arrival order.</summary>
    public void DeliverDue(long now, ReliableLink receiver)
    {
        while (_inTransit.Count > 0 && _inTransit[0].At <= now)
        {
            var bytes = _inTransit[0].Bytes;
            _inTransit.RemoveAt(0);
            receiver.OnBytesReceived(bytes, 0, bytes.Length, now);
        }
    }

    private void Enqueue(long at, byte[] bytes)
    {
        var index = _inTransit.FindIndex(e => e.At > at);
        var entry = (at, _order++, bytes);
        if (index < 0)
        {
            _inTransit.Add(entry);
        }
        else
        {
            _inTransit.Insert(index, entry);
        }
    }

    private static byte FrameType(byte[] buffer, int offset, int count)
    {
        var body = new byte[count];
        var n = Cobs.Decode(buffer, offset, count - 1, body, 0);
        return n >= 2 ? body[1] : (byte)0;
    }
}
