using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.Channel;

/// <summary>
/// The classical channel over TCP: each message is a frame of length (u32 LE) then payload. Frames
/// above <see cref="MaxMessageBytes"/> are refused before anything is allocated; a send or receive that
/// takes longer than <see cref="Timeout"/>, a closed connection or a reset all surface as
/// <see cref="IOException"/> with a message that says which. Carries no authentication itself: wrap it
/// in <see cref="AuthenticatedChannel"/>.
/// </summary>
public sealed class TcpClassicalChannel : IClassicalChannel, IDisposable
{
    public const int DefaultMaxMessageBytes = 64 << 20;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _header = new byte[4];

    private TcpClassicalChannel(TcpClient client, TimeSpan timeout, int maxMessageBytes)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
        Timeout = timeout;
        MaxMessageBytes = maxMessageBytes;
        RemoteEndPoint = client.Client.RemoteEndPoint?.ToString() ?? "?";
    }

    private TimeSpan _timeout;

    /// <summary>
    /// Longest one send or receive may take. May be changed after connecting, e.g. a long wait for the
    /// peer's first message, then a shorter one per message.
    /// </summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            if (value <= TimeSpan.Zero && value != System.Threading.Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(value), value, "the classical channel timeout must be positive");
            _timeout = value;
        }
    }

    public int MaxMessageBytes { get; }

    public string RemoteEndPoint { get; }

    /// <summary>Waits for one peer on <paramref name="listener"/> (already started).</summary>
    public static async Task<TcpClassicalChannel> AcceptAsync(TcpListener listener, TimeSpan timeout, int maxMessageBytes = DefaultMaxMessageBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var client = await listener.AcceptTcpClientAsync(cts.Token).ConfigureAwait(false);
            return new TcpClassicalChannel(client, timeout, maxMessageBytes);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no peer connected to {listener.LocalEndpoint} within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Connects to the peer, retrying while it is not yet listening, until <paramref name="timeout"/>.</summary>
    public static async Task<TcpClassicalChannel> ConnectAsync(string host, int port, TimeSpan timeout, int maxMessageBytes = DefaultMaxMessageBytes, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var client = new TcpClient();
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.FromMilliseconds(1));
                await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
                return new TcpClassicalChannel(client, timeout, maxMessageBytes);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                if (DateTime.UtcNow >= deadline)
                    throw new IOException($"could not connect to the peer at {host}:{port} within {timeout.TotalSeconds:0.#} s ({e.Message})");
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Parses HOST:PORT (IPv6 as [::1]:PORT).</summary>
    public static (string Host, int Port) ParseEndpoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
            throw new ArgumentException($"'{text}' is not HOST:PORT");
        string host = text[..colon].Trim('[', ']');
        return (host, port);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (message.Length > MaxMessageBytes)
            throw new IOException($"message of {message.Length} bytes exceeds the {MaxMessageBytes}-byte limit of the classical channel");
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)message.Length);
        await WithTimeout(async token =>
        {
            await _stream.WriteAsync(header, token).ConfigureAwait(false);
            await _stream.WriteAsync(message, token).ConfigureAwait(false);
            await _stream.FlushAsync(token).ConfigureAwait(false);
            return 0;
        }, "sending", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        return await WithTimeout(async token =>
        {
            await ReadExactly(_header, token).ConfigureAwait(false);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_header);
            if (length > MaxMessageBytes)
                throw new IOException($"the peer announced a {length}-byte message, above the {MaxMessageBytes}-byte limit: refused");
            var payload = new byte[length];
            await ReadExactly(payload, token).ConfigureAwait(false);
            return payload;
        }, "waiting for the peer", cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadExactly(byte[] buffer, CancellationToken token)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), token).ConfigureAwait(false);
            if (n == 0) throw new IOException($"the peer {RemoteEndPoint} closed the classical channel");
            read += n;
        }
    }

    private async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            return await operation(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Dispose(); // a half-read frame leaves the stream unusable
            throw new IOException($"timed out after {Timeout.TotalSeconds:0.#} s {what} on the classical channel to {RemoteEndPoint}");
        }
        catch (SocketException e)
        {
            throw new IOException($"the classical channel to {RemoteEndPoint} failed: {e.Message}", e);
        }
        catch (ObjectDisposedException)
        {
            throw new IOException($"the classical channel to {RemoteEndPoint} is closed");
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
