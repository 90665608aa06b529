using System.Buffers.Binary;
using System.Security.Authentication;
using Qkd.PostProcessing.Confirmation;

namespace Qkd.PostProcessing.Authentication
{
    /// <summary>
    /// Wegman-Carter tags for one direction (qkd-math.md): tag = H_k(sequence, direction, message) XOR pad.
    /// H_k is the polynomial hash over GF(2^64) (<see cref="PolynomialHash64"/>) of the words
    /// [sequence, direction, message bytes as LE words zero-padded], length absorbed last; it is
    /// (L+3)/2^64-almost-XOR-universal for messages of L words, so k can serve a whole session while
    /// every tag takes a fresh 64-bit one-time pad. k is the first nonzero 64 bits the pool yields.
    /// Sender and receiver of a direction call <see cref="Tag"/> once per message, in sequence order.
    /// </summary>
    public sealed class WegmanCarterAuthenticator
    {
        private readonly KeyPool _pool;
        private readonly Direction _direction;
        private PolynomialHash64? _hash;

        public WegmanCarterAuthenticator(KeyPool pool, Direction direction)
        {
            _pool = pool ?? throw new ArgumentNullException(nameof(pool));
            _direction = direction;
        }

        /// <summary>The tag of message number <paramref name="sequence"/>; consumes 64 pad bits (and the hash key the first time).</summary>
        public ulong Tag(ulong sequence, ReadOnlySpan<byte> message)
        {
            _hash ??= new PolynomialHash64(DrawHashKey());
            int messageWords = (message.Length + 7) / 8;
            var words = new ulong[2 + messageWords];
            words[0] = sequence;
            words[1] = (ulong)_direction;
            int full = message.Length / 8;
            for (int i = 0; i < full; i++) words[2 + i] = BinaryPrimitives.ReadUInt64LittleEndian(message.Slice(8 * i, 8));
            if (full < messageWords)
            {
                Span<byte> last = stackalloc byte[8];
                last.Clear();
                message.Slice(8 * full).CopyTo(last);
                words[2 + full] = BinaryPrimitives.ReadUInt64LittleEndian(last);
            }
            ulong hash = _hash.Tag(words, 128 + 8L * message.Length);
            Array.Clear(words);
            return hash ^ _pool.Take64();
        }

        private ulong DrawHashKey()
        {
            // k = 0 would make every hash zero; both sides skip it identically.
            for (int attempt = 0; attempt < 4; attempt++)
            {
                ulong key = _pool.Take64();
                if (key != 0) return key;
            }
            throw new AuthenticationException($"authentication key pool {_pool.Name} yields only zero bits: the secret is unusable");
        }
    }
}
