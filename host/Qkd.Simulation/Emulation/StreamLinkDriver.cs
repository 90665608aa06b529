using System.Diagnostics;
using Qkd.Wire.Link;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// Drives one end of a link over a <see cref="Stream"/> (in-memory pipe, TCP, serial port): a reader
/// thread hands received bytes to <c>onBytes</c> and a timer thread calls <c>onPoll</c> every
/// millisecond or so, both under one lock, so the (single-threaded) link or board session behind them
/// sees one caller at a time. It is also the link's <see cref="ILinkTransport"/>: writes go to the stream,
/// and a write that fails (stream gone) is dropped, as bytes on a pulled cable are.
/// </summary>
public sealed class StreamLinkDriver : ILinkTransport, IDisposable
{
    private readonly Stream _stream;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _reader;
    private readonly Thread _poller;
    private readonly byte[] _readBuffer = new byte[1 << 16];
    private volatile bool _stopping;
    private Action<byte[], int, int, long>? _onBytes;
    private Action<long>? _onPoll;

    public StreamLinkDriver(Stream stream, string name)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = name + " reader" };
        _poller = new Thread(PollLoop) { IsBackground = true, Name = name + " poll" };
    }

    /// <summary>Held while the link or session is called; take it to call them from another thread.</summary>
    public object Sync { get; } = new();

    public long NowMs => _clock.ElapsedMilliseconds;

    /// <summary>Last time bytes arrived (ms on <see cref="NowMs"/>'s clock).</summary>
    public long LastReceiveMs { get; private set; }

    /// <summary>The last exception the receiver or poll callback threw (kept running regardless).</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>The stream ended or failed (peer closed the connection).</summary>
    public bool StreamEnded { get; private set; }

    /// <summary>Sets what receives bytes and time ticks (swap it under <see cref="Sync"/>, e.g. on a board reset).</summary>
    public void Attach(Action<byte[], int, int, long>? onBytes, Action<long>? onPoll)
    {
        lock (Sync)
        {
            _onBytes = onBytes;
            _onPoll = onPoll;
        }
    }

    public void Start()
    {
        _reader.Start();
        _poller.Start();
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            _stream.Write(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            StreamEnded = true; // the peer is gone: the link's retransmission and loss detection take over
        }
    }

    public void Dispose()
    {
        _stopping = true;
        try { _stream.Dispose(); } catch (IOException) { }
        if (_poller.IsAlive) _poller.Join(1000);
        if (_reader.IsAlive) _reader.Join(1000);
    }

    private void ReadLoop()
    {
        while (!_stopping)
        {
            int n;
            try
            {
                n = _stream.Read(_readBuffer, 0, _readBuffer.Length);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
            {
                if (e is TimeoutException) continue;
                n = 0;
            }
            if (n <= 0)
            {
                StreamEnded = true;
                return;
            }
            lock (Sync)
            {
                LastReceiveMs = NowMs;
                try
                {
                    _onBytes?.Invoke(_readBuffer, 0, n, NowMs);
                }
                catch (Exception e)
                {
                    LastFailure = e; // the rest of this read is dropped; retransmission recovers it
                }
            }
        }
    }

    private void PollLoop()
    {
        while (!_stopping)
        {
            lock (Sync)
            {
                try
                {
                    _onPoll?.Invoke(NowMs);
                }
                catch (Exception e)
                {
                    LastFailure = e;
                }
            }
            Thread.Sleep(1);
        }
    }
}
