using System.Threading.Channels;

namespace Qkd.PostProcessing.TwoParty;

/// <summary>
/// Both ends of a classical channel inside one process (simulation, tests, the single-process
/// reconcile path). Messages are copied on send, so a sender may reuse its buffer.
/// </summary>
public sealed class InMemoryClassicalChannel : IClassicalChannel
{
    private readonly ChannelWriter<byte[]> _outgoing;
    private readonly ChannelReader<byte[]> _incoming;

    private InMemoryClassicalChannel(ChannelWriter<byte[]> outgoing, ChannelReader<byte[]> incoming)
    {
        _outgoing = outgoing;
        _incoming = incoming;
    }

    /// <summary>A connected pair: what Alice's end sends, Bob's end receives, and back.</summary>
    public static (InMemoryClassicalChannel Alice, InMemoryClassicalChannel Bob) CreatePair()
    {
        var aliceToBob = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var bobToAlice = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        return (new InMemoryClassicalChannel(aliceToBob.Writer, bobToAlice.Reader),
                new InMemoryClassicalChannel(bobToAlice.Writer, aliceToBob.Reader));
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
        => _outgoing.WriteAsync(message.ToArray(), cancellationToken);

    public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _incoming.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new IOException("the peer closed the classical channel");
        }
    }

    /// <summary>Tells the peer no more messages come (its pending receive fails with IOException).</summary>
    public void Close() => _outgoing.TryComplete();
}
