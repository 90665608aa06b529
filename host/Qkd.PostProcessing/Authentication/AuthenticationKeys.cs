using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Authentication
{
    /// <summary>Which way a message travels; bound into every tag so a reflected message fails.</summary>
    public enum Direction : byte
    {
        AliceToBob = 1,
        BobToAlice = 2,
    }

    /// <summary>
    /// The two pools both parties hold identically, one per direction (each direction's sender and
    /// receiver then consume the same bits in the same order). Any secret given to <see cref="Replenish"/>
    /// is split: first half to Alice->Bob, second half to Bob->Alice.
    /// </summary>
    public sealed class AuthenticationKeys
    {
        public AuthenticationKeys()
        {
            AliceToBob = new KeyPool("alice->bob");
            BobToAlice = new KeyPool("bob->alice");
        }

        public KeyPool AliceToBob { get; }

        public KeyPool BobToAlice { get; }

        public KeyPool For(Direction direction) => direction == Direction.AliceToBob ? AliceToBob : BobToAlice;

        /// <summary>Bits consumed over both directions (identical on both sides once no message is in flight).</summary>
        public long ConsumedBits => AliceToBob.ConsumedBits + BobToAlice.ConsumedBits;

        public long AvailableBits => AliceToBob.AvailableBits + BobToAlice.AvailableBits;

        public long AddedBits => AliceToBob.AddedBits + BobToAlice.AddedBits;

        /// <summary>Pools from a pre-shared secret (e.g. a PSK file's bytes).</summary>
        public static AuthenticationKeys FromSharedSecret(ReadOnlySpan<byte> secret)
        {
            var keys = new AuthenticationKeys();
            keys.Replenish(BitVector.FromPackedBytes(secret, checked(secret.Length * 8)));
            return keys;
        }

        public void Replenish(BitVector secret)
        {
            ArgumentNullException.ThrowIfNull(secret);
            int half = secret.Length / 2;
            AliceToBob.Add(secret.Slice(0, half));
            BobToAlice.Add(secret.Slice(half, secret.Length - half));
        }
    }
}
