using Qkd.Firmware.Roles;
using Qkd.Firmware.Session;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Tests.Session;

/// <summary>
/// A board (role + BoardSession on model hardware) and a host peer joined by an in-memory duplex
/// pipe, with the real ReliableLink on both ends and a virtual millisecond clock.
/// </summary>
internal sealed class SessionRig : IDisposable
{
    public SessionRig(byte role, int maxPulses = 100_000, int detectionCapacity = 8192, int heartbeatMs = 100, bool managedEngine = false)
    {
        Hardware = new TestBoardHardware(Boards.LdacPin, Boards.ClrPin, managedEngine: managedEngine);
        Identity = Boards.Identity(role, maxPulses, detectionCapacity);
        Role = role == BoardRole.Alice ? new AliceRole(Hardware, Identity) : new BobRole(Hardware, Identity);
        Session = new BoardSession(Role, Identity, ToHost, new SessionOptions
        {
            HeartbeatMs = heartbeatMs, BatchFlushMs = 5, ProgressMs = 50, ReconnectMs = 100, OutboxSlots = 16,
            Link = LinkOptions(),
        });
        Host = new HostPeer(ToBoard, LinkOptions());
    }

    public static LinkOptions LinkOptions() => new() { SendWindow = 8, ReceiveCapacity = 8, RetransmitTimeoutMs = 40, MaxRetransmits = 5, NackHoldoffMs = 10 };

    public long Now { get; private set; }

    /// <summary>Bytes the board's session calls allocated on this thread (the host's side excluded).</summary>
    public long BoardAllocatedBytes { get; set; }
    public FrameChannel ToHost { get; } = new();
    public FrameChannel ToBoard { get; } = new();
    public TestBoardHardware Hardware { get; }
    public BoardIdentity Identity { get; }
    public PulseRole Role { get; }
    public BoardSession Session { get; }
    public HostPeer Host { get; }
    public ModelPulseEngine Engine => Hardware.ModelEngine;

    public void Connect()
    {
        Session.Start(Now);
        Host.Link.Connect(HostPeer.Hello(), 100, Now);
        Assert.True(RunUntil(() => Host.Link.State == LinkState.Connected && Session.Link.State == LinkState.Connected), "link did not connect");
    }

    public void Step(int ms = 1)
    {
        Now += ms;
        var toBoard = ToBoard.Take();
        var before = GC.GetAllocatedBytesForCurrentThread();
        if (toBoard.Length > 0) Session.OnBytesReceived(toBoard, 0, toBoard.Length, Now);
        Session.Poll(Now);
        BoardAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        var toHost = ToHost.Take();
        if (toHost.Length > 0) Host.Link.OnBytesReceived(toHost, 0, toHost.Length, Now);
        Host.Link.Poll(Now);
    }

    public bool RunUntil(Func<bool> condition, int maxMs = 10_000)
    {
        for (var end = Now + maxMs; Now < end; Step())
        {
            if (condition()) return true;
        }

        return condition();
    }

    /// <summary>Sends from the host, stepping while its window or the board's credits are full.</summary>
    public void Send(WireMessage message)
    {
        Assert.True(RunUntil(() => Host.Link.Send(message, Now)), $"host could not send {MessageType.Name(message.Type)}");
    }

    public void ConfigureBoard()
    {
        Send(Boards.Configure(Role.Role));
        Assert.True(RunUntil(() => Host.Received<DacReadbackMessage>().Count() >= Role.DacChannels || Host.Received<ErrorMessage>().Any()));
    }

    public void SendTable(uint blockId, byte[] table, int chunkBytes = 900)
    {
        for (var offset = 0; offset < table.Length; offset += chunkBytes)
        {
            Send(new BasisChunkMessage(blockId, (uint)offset, table.AsSpan(offset, Math.Min(chunkBytes, table.Length - offset)).ToArray()));
        }
    }

    /// <summary>Fires the block's pulses, <paramref name="perMs"/> per millisecond, while the link runs.</summary>
    public void FirePulses(int pulses, int perMs = 2_000)
    {
        for (var fired = 0; fired < pulses;)
        {
            var n = Engine.Fire(Math.Min(perMs, pulses - fired));
            fired += n;
            Step();
            if (n == 0) break;
        }
    }

    /// <summary>Every record of the delivered DetectionBatches of a block, once per batch index, in order.</summary>
    public List<(int Pulse, byte Detector)> DeliveredRecords(uint blockId)
    {
        var records = new List<(int, byte)>();
        var batches = Host.Received<DetectionBatchMessage>().Where(b => b.BlockId == blockId)
            .GroupBy(b => b.BatchIndex).OrderBy(g => g.Key).Select(g => g.First()).ToList();
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (uint)i), batches.Select(b => b.BatchIndex));
        foreach (var batch in batches)
        {
            var reader = new DetectionRecordReader(batch.Records, 0, batch.Records.Length, batch.BasePulseIndex);
            var count = 0;
            while (reader.MoveNext())
            {
                records.Add(((int)reader.PulseIndex, reader.Detector));
                count++;
            }

            Assert.Equal((int)batch.RecordCount, count);
        }

        return records;
    }

    public void Dispose()
    {
        Role.Dispose();
        Hardware.Dispose();
    }
}
