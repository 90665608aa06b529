namespace Qkd.PostProcessing.TwoParty;

/// <summary>
/// The classical channel between Alice's and Bob's post-processing: ordered, reliable messages.
/// Implementations: an in-memory pair (one process), TCP, and the authenticated wrapper that
/// Wegman-Carter tags every message (tampered, replayed or wrongly keyed messages throw).
/// </summary>
public interface IClassicalChannel
{
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>The next message; throws if the peer is gone or the message is refused.</summary>
    ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default);
}
