using System.Buffers.Binary;
using System.Security.Authentication;
using Qkd.PostProcessing.Authentication;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// Wegman-Carter authentication over another channel. Wire form of a message:
    /// sequence (u64 LE) | payload | tag (u64 LE). Sequence numbers count from 0 per direction; the
    /// receiver accepts only the next one, and the tag binds sequence and direction, so tampered,
    /// replayed, reordered, reflected or wrongly keyed messages throw <see cref="AuthenticationException"/>.
    /// After the first refusal the channel stays refused (the session must stop). Messages carry no
    /// secret in clear beyond what the protocol discloses; errors never print tags or keys.
    /// </summary>
    public sealed class AuthenticatedChannel : IClassicalChannel
    {
        private const int Overhead = 16;
        private readonly IClassicalChannel _inner;
        private readonly WegmanCarterAuthenticator _sendTags;
        private readonly WegmanCarterAuthenticator _receiveTags;
        private readonly SemaphoreSlim _sendGate = new(1, 1);
        private readonly SemaphoreSlim _receiveGate = new(1, 1);
        private ulong _nextSend;
        private ulong _nextReceive;
        private string? _refused;

        /// <param name="inner">The transport (TCP, in-memory).</param>
        /// <param name="keys">Both pools, identical on both sides.</param>
        /// <param name="isAlice">True on Alice's end: she sends Alice->Bob and receives Bob->Alice.</param>
        public AuthenticatedChannel(IClassicalChannel inner, AuthenticationKeys keys, bool isAlice)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            Keys = keys ?? throw new ArgumentNullException(nameof(keys));
            var send = isAlice ? Direction.AliceToBob : Direction.BobToAlice;
            var receive = isAlice ? Direction.BobToAlice : Direction.AliceToBob;
            _sendTags = new WegmanCarterAuthenticator(keys.For(send), send);
            _receiveTags = new WegmanCarterAuthenticator(keys.For(receive), receive);
        }

        public AuthenticationKeys Keys { get; }

        public long MessagesSent => (long)_nextSend;

        public long MessagesReceived => (long)_nextReceive;

        public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
        {
            await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfRefused();
                var frame = new byte[message.Length + Overhead];
                BinaryPrimitives.WriteUInt64LittleEndian(frame, _nextSend);
                message.Span.CopyTo(frame.AsSpan(8));
                ulong tag = _sendTags.Tag(_nextSend, message.Span);
                BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8 + message.Length), tag);
                _nextSend++;
                await _inner.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sendGate.Release();
            }
        }

        public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
        {
            await _receiveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfRefused();
                byte[] frame = await _inner.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (frame.Length < Overhead)
                    Refuse($"message {_nextReceive} is {frame.Length} bytes, shorter than its {Overhead}-byte authentication envelope");
                ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(frame);
                if (sequence != _nextReceive)
                    Refuse(sequence < _nextReceive
                        ? $"message with sequence number {sequence} arrived again (expected {_nextReceive}): replay refused"
                        : $"message with sequence number {sequence} arrived where {_nextReceive} was expected: reordered or dropped messages refused");
                var payload = frame.AsSpan(8, frame.Length - Overhead);
                ulong expected = _receiveTags.Tag(sequence, payload);
                ulong received = BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(frame.Length - 8));
                if (!PolynomialHashMatch(expected, received))
                    Refuse($"message {sequence} failed authentication: tampered, reflected, or the two sides hold different keys");
                _nextReceive++;
                return payload.ToArray();
            }
            finally
            {
                _receiveGate.Release();
            }
        }

        private static bool PolynomialHashMatch(ulong a, ulong b) => Confirmation.PolynomialHash64.TagsMatch(a, b);

        private void ThrowIfRefused()
        {
            if (_refused is not null) throw new AuthenticationException($"classical channel already refused: {_refused}");
        }

        private void Refuse(string reason)
        {
            _refused = reason;
            throw new AuthenticationException(reason);
        }
    }
}
