namespace Qkd.Simulation.Emulation;

/// <summary>
/// Faults one direction of an <see cref="InMemoryDuplex"/> applies to the bytes written into it:
/// flipped bytes, dropped bytes, or everything lost (a pulled cable). Changeable while running.
/// </summary>
public sealed class LinkFaults
{
    private readonly Random _random;

    public LinkFaults(int seed = 1) => _random = new Random(seed);

    /// <summary>Probability that a byte is replaced by a damaged one.</summary>
    public double CorruptProbability { get; set; }

    /// <summary>Probability that a byte vanishes.</summary>
    public double DropProbability { get; set; }

    /// <summary>False: every byte written is lost.</summary>
    public bool Connected { get; set; } = true;

    public long BytesCorrupted { get; private set; }
    public long BytesDropped { get; private set; }

    internal bool Active => !Connected || CorruptProbability > 0 || DropProbability > 0;

    /// <summary>Applies the faults in place; returns how many bytes survive (compacted to the front).</summary>
    internal int Apply(Span<byte> bytes)
    {
        if (!Connected)
        {
            BytesDropped += bytes.Length;
            return 0;
        }
        var kept = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (DropProbability > 0 && _random.NextDouble() < DropProbability)
            {
                BytesDropped++;
                continue;
            }
            var b = bytes[i];
            if (CorruptProbability > 0 && _random.NextDouble() < CorruptProbability)
            {
                b ^= (byte)(1 + _random.Next(255));
                BytesCorrupted++;
            }
            bytes[kept++] = b;
        }
        return kept;
    }
}

/// <summary>
/// An in-memory full-duplex byte stream pair (the default transport between the agent and an emulated
/// board): what one end writes, the other reads. Reads block until bytes arrive or the pair is closed.
/// Each direction can carry <see cref="LinkFaults"/>.
/// </summary>
public sealed class InMemoryDuplex
{
    private readonly ByteQueue _aToB = new();
    private readonly ByteQueue _bToA = new();

    public InMemoryDuplex()
    {
        HostEnd = new End(_bToA, _aToB);
        BoardEnd = new End(_aToB, _bToA);
    }

    /// <summary>The agent's end.</summary>
    public Stream HostEnd { get; }

    /// <summary>The board's end.</summary>
    public Stream BoardEnd { get; }

    /// <summary>Faults on bytes the agent sends to the board.</summary>
    public LinkFaults ToBoardFaults => _aToB.Faults;

    /// <summary>Faults on bytes the board sends to the agent.</summary>
    public LinkFaults ToHostFaults => _bToA.Faults;

    public void Close()
    {
        _aToB.Close();
        _bToA.Close();
    }

    private sealed class ByteQueue
    {
        private readonly object _sync = new();
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _length;
        private bool _closed;

        public LinkFaults Faults { get; } = new();

        public void Write(ReadOnlySpan<byte> data)
        {
            lock (_sync)
            {
                if (_closed) throw new IOException("the in-memory link is closed");
                var target = Reserve(data.Length);
                data.CopyTo(target);
                var kept = Faults.Active ? Faults.Apply(target) : data.Length;
                _length += kept;
                Monitor.PulseAll(_sync);
            }
        }

        public int Read(Span<byte> destination)
        {
            lock (_sync)
            {
                while (_length == 0)
                {
                    if (_closed) return 0;
                    Monitor.Wait(_sync);
                }
                var n = Math.Min(destination.Length, _length);
                _buffer.AsSpan(_start, n).CopyTo(destination);
                _start += n;
                _length -= n;
                if (_length == 0) _start = 0;
                return n;
            }
        }

        public void Close()
        {
            lock (_sync)
            {
                _closed = true;
                Monitor.PulseAll(_sync);
            }
        }

        private Span<byte> Reserve(int count)
        {
            if (_start + _length + count > _buffer.Length)
            {
                if (_length + count > _buffer.Length)
                {
                    var bigger = new byte[Math.Max(_buffer.Length * 2, _length + count)];
                    _buffer.AsSpan(_start, _length).CopyTo(bigger);
                    _buffer = bigger;
                }
                else
                {
                    _buffer.AsSpan(_start, _length).CopyTo(_buffer);
                }
                _start = 0;
            }
            return _buffer.AsSpan(_start + _length, count);
        }
    }

    private sealed class End(ByteQueue incoming, ByteQueue outgoing) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => incoming.Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => incoming.Read(buffer);
        public override void Write(byte[] buffer, int offset, int count) => outgoing.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => outgoing.Write(buffer);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                incoming.Close();
                outgoing.Close();
            }
            base.Dispose(disposing);
        }
    }
}
