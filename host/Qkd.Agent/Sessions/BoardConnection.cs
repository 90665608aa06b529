using System.Security.Cryptography;
using Qkd.Simulation.Emulation;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Agent.Sessions;

/// <summary>A board session failed in a way the runner recovers from (discard the block, re-handshake).</summary>
public sealed class BoardFaultException(string board, string message) : Exception($"{board}: {message}")
{
    public string Board { get; } = board;
}

/// <summary>
/// The agent's end of one board session over the real <see cref="ReliableLink"/>: handshake (Hello),
/// Configure (answered by a DacReadback per channel), tables as BasisChunks (the link's credits are the
/// board's free chunk slots), ArmBlock / Start / Stop, and the results: DetectionBatches (kept per
/// (block, batch index), so a batch re-sent after a reconnect counts once), BlockDone, BlockStatus,
/// Errors and Heartbeats (AD5754 alerts). Every wait has a timeout and throws
/// <see cref="BoardFaultException"/> when the board restarted, the link was lost or the board is silent.
/// </summary>
public sealed class BoardConnection : ILinkListener, IDisposable
{
    private readonly StreamLinkDriver _driver;
    private readonly ReliableLink _link;
    private readonly int _chunkBytes;
    private readonly Dictionary<uint, BlockResults> _blocks = [];
    private readonly List<ErrorMessage> _errors = [];
    private readonly List<DacReadbackMessage> _readbacks = [];
    private HelloMessage? _boardHello;
    private int _boardHellos;
    private int _restartsSeen;
    private bool _handshaken;
    private long _handshakeMs;

    public BoardConnection(string name, Stream stream, LinkOptions options, TimeSpan? timeout = null)
    {
        Name = name;
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        _driver = new StreamLinkDriver(stream, name + " host");
        _link = new ReliableLink(_driver, this, options);
        // A chunk message: array(3) + u32 + u32 + bin32 header = 16 bytes besides the table bytes.
        _chunkBytes = options.MaxPayloadBytes - 16;
        _driver.Attach((b, o, c, now) => _link.OnBytesReceived(b, o, c, now), now => _link.Poll(now));
        _driver.Start();
    }

    public string Name { get; }
    public TimeSpan Timeout { get; set; }

    /// <summary>After the handshake, a board that sends nothing (not even a Heartbeat) this long is taken as gone.</summary>
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromSeconds(3);
    public HelloMessage? BoardHello { get { lock (_driver.Sync) return _boardHello; } }
    public LinkStatistics Statistics => _link.Statistics;

    /// <summary>Heartbeat alert bits last reported (AD5754 thermal / overcurrent), 0 when none.</summary>
    public uint LastAlerts { get; private set; }

    /// <summary>Board Hellos after the first handshake: the board restarted (reset, power loss).</summary>
    public int BoardRestarts { get { lock (_driver.Sync) return Math.Max(0, _boardHellos - 1); } }

    /// <summary>Connects (again): sends the host's Hello with a fresh epoch and waits for the board's.</summary>
    public HelloMessage Handshake()
    {
        lock (_driver.Sync)
        {
            _errors.Clear();
            _readbacks.Clear();
            var hello = new HelloMessage { ProtocolVersion = WireConstants.ProtocolVersion, FirmwareVersion = "qkd-agent", BoardId = "host" };
            _link.Connect(hello, (ushort)RandomNumberGenerator.GetInt32(65536), _driver.NowMs);
        }
        WaitFor(() => _link.State == LinkState.Connected && _boardHello is not null, "the board's Hello", checkFaults: false);
        lock (_driver.Sync)
        {
            _restartsSeen = _boardHellos;
            _handshaken = true;
            _handshakeMs = _driver.NowMs;
            if (_boardHello!.ProtocolVersion != WireConstants.ProtocolVersion)
                throw new InvalidOperationException($"{Name}: board speaks protocol {_boardHello.ProtocolVersion}, this agent {WireConstants.ProtocolVersion}");
            return _boardHello;
        }
    }

    /// <summary>Sends Configure and waits for a DacReadback per channel (or the board's Error).</summary>
    public void Configure(ConfigureMessage configure, int channels)
    {
        lock (_driver.Sync)
        {
            _readbacks.Clear();
            _errors.Clear();
        }
        Send(configure);
        WaitFor(() => _readbacks.Count >= channels || _errors.Count > 0, "the DAC read-back after Configure");
        lock (_driver.Sync)
        {
            if (_errors.Count > 0) throw new BoardRefusedException(Name, _errors[0]);
        }
    }

    /// <summary>Streams a block's packed table in chunks; blocks while the board has no free chunk slot.</summary>
    public void SendTable(uint blockId, byte[] table)
    {
        lock (_driver.Sync) _blocks[blockId] = new BlockResults();
        for (var offset = 0; offset < table.Length; offset += _chunkBytes)
        {
            var chunk = table.AsSpan(offset, Math.Min(_chunkBytes, table.Length - offset)).ToArray();
            Send(new BasisChunkMessage(blockId, (uint)offset, chunk));
        }
    }

    public void Arm(uint blockId, int pulses)
    {
        Send(new ArmBlockMessage { BlockId = blockId, PulseCount = (uint)pulses });
        WaitFor(() => StateOf(blockId) is BlockState.Armed || ErrorSince(), $"block {blockId} armed");
        ThrowIfError();
    }

    public void Start(uint blockId) => Send(new StartMessage { BlockId = blockId });

    public void Stop(uint blockId) => Send(new StopMessage { BlockId = blockId });

    /// <summary>Waits for the block's BlockDone and every DetectionBatch it announced.</summary>
    public BlockResults WaitBlockDone(uint blockId, TimeSpan timeout)
    {
        WaitFor(() => _blocks.TryGetValue(blockId, out var r) && r.IsComplete, $"block {blockId} results", timeout);
        lock (_driver.Sync) return _blocks[blockId];
    }

    /// <summary>Forgets a block's results (after they were stored or the block was discarded).</summary>
    public void Forget(uint blockId)
    {
        lock (_driver.Sync) _blocks.Remove(blockId);
    }

    public void Dispose() => _driver.Dispose();

    private void Send(WireMessage message)
    {
        var deadline = _driver.NowMs + (long)Timeout.TotalMilliseconds;
        while (true)
        {
            lock (_driver.Sync)
            {
                ThrowIfFault();
                if (_link.Send(message, _driver.NowMs)) return;
                if (_driver.NowMs > deadline)
                    throw new BoardFaultException(Name, $"could not send {MessageType.Name(message.Type)} for {Timeout.TotalSeconds:0} s (no credit or link down)");
                Monitor.Wait(_driver.Sync, 5);
            }
        }
    }

    private void WaitFor(Func<bool> condition, string what, TimeSpan? timeout = null, bool checkFaults = true)
    {
        var deadline = _driver.NowMs + (long)(timeout ?? Timeout).TotalMilliseconds;
        lock (_driver.Sync)
        {
            while (!condition())
            {
                if (checkFaults) ThrowIfFault();
                if (_driver.NowMs > deadline) throw new BoardFaultException(Name, $"timed out waiting for {what}");
                Monitor.Wait(_driver.Sync, 5);
            }
        }
    }

    private void ThrowIfFault()
    {
        if (_boardHellos > _restartsSeen) throw new BoardFaultException(Name, "the board restarted (new Hello)");
        if (_link.State == LinkState.Lost) throw new BoardFaultException(Name, "the link to the board was lost");
        if (_driver.StreamEnded) throw new BoardFaultException(Name, "the connection to the board closed");
        if (_handshaken && _driver.NowMs - Math.Max(_driver.LastReceiveMs, _handshakeMs) > SilenceLimit.TotalMilliseconds)
            throw new BoardFaultException(Name, $"the board has been silent for {SilenceLimit.TotalSeconds:0.#} s (no heartbeat)");
    }

    private byte? StateOf(uint blockId) => _blocks.TryGetValue(blockId, out var r) ? r.LastState : null;

    private bool ErrorSince() => _errors.Count > 0;

    private void ThrowIfError()
    {
        lock (_driver.Sync)
        {
            if (_errors.Count == 0) return;
            var error = _errors[0];
            _errors.Clear();
            throw new BoardRefusedException(Name, error);
        }
    }

    // ILinkListener: called under the driver's lock.

    public void OnMessage(WireMessage message)
    {
        switch (message)
        {
            case HelloMessage hello:
                _boardHello = hello;
                _boardHellos++;
                break;
            case DacReadbackMessage readback:
                _readbacks.Add(readback);
                break;
            case ErrorMessage error:
                _errors.Add(error);
                break;
            case HeartbeatMessage heartbeat:
                LastAlerts = heartbeat.Alerts;
                break;
            case BlockStatusMessage status:
                if (_blocks.TryGetValue(status.BlockId, out var s)) s.LastState = status.State;
                break;
            case DetectionBatchMessage batch:
                if (_blocks.TryGetValue(batch.BlockId, out var b)) b.Batches.TryAdd(batch.BatchIndex, batch);
                break;
            case BlockDoneMessage done:
                if (_blocks.TryGetValue(done.BlockId, out var d)) d.Done = done;
                break;
        }
        Monitor.PulseAll(_driver.Sync);
    }

    public void OnRejected(byte type, ushort sequence, FrameError reason) { }
    public void OnUnacknowledged(WireMessage message) { }
    public void OnPeerLost(int unackedCount) => Monitor.PulseAll(_driver.Sync);
    public void OnPeerRestarted(int unackedCount) => Monitor.PulseAll(_driver.Sync);
}

/// <summary>The board refused a request with an Error: not a transient fault.</summary>
public sealed class BoardRefusedException(string board, ErrorMessage error)
    : Exception($"{board} refused: {error.Text} (error {error.Code})")
{
    public ushort Code { get; } = error.Code;
}

/// <summary>What one board reported for one block.</summary>
public sealed class BlockResults
{
    public byte? LastState { get; set; }
    public BlockDoneMessage? Done { get; set; }
    public SortedDictionary<uint, DetectionBatchMessage> Batches { get; } = [];

    public bool IsComplete => Done is not null && RecordsReceived() >= Done.Detections;

    public long RecordsReceived()
    {
        long n = 0;
        foreach (var batch in Batches.Values) n += batch.RecordCount;
        return n;
    }

    /// <summary>Decodes every record, in batch order: pulse indices increasing, detector codes 1..3.</summary>
    /// <remarks>No count checks here: batches only arrive decoded, and decoding (DetectionBatchMessage.ReadFields)
    /// already rejected any batch whose Records do not hold exactly RecordCount well-formed records.</remarks>
    public (int[] Pulses, byte[] Codes) Records()
    {
        var count = (int)RecordsReceived();
        var pulses = new int[count];
        var codes = new byte[count];
        var at = 0;
        uint expectedIndex = 0;
        foreach (var (index, batch) in Batches)
        {
            if (index != expectedIndex++) throw new InvalidDataException($"detection batch {expectedIndex - 1} is missing");
            var reader = new DetectionRecordReader(batch.Records, 0, batch.Records.Length, batch.BasePulseIndex);
            while (reader.MoveNext())
            {
                pulses[at] = (int)reader.PulseIndex;
                codes[at] = reader.Detector;
                at++;
            }
        }
        return (pulses, codes);
    }
}
