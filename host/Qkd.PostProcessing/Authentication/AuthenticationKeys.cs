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

        /// <summary>
        /// The unused bits of both pools, for storage between sessions: bits A->B (i32), packed, bits B->A
        /// (i32), packed. Secret: the caller keeps it only in a protected file.
        /// </summary>
        public byte[] ExportRemaining()
        {
            var stream = new MemoryStream();
            using var writer = new BinaryWriter(stream);
            foreach (var pool in new[] { AliceToBob, BobToAlice })
            {
                var bits = pool.CopyRemaining();
                writer.Write(bits.Length);
                writer.Write(bits.ToPackedBytes());
                Array.Clear(bits.Words);
            }
            writer.Flush();
            return stream.ToArray();
        }

        /// <summary>Pools from <see cref="ExportRemaining"/>'s bytes.</summary>
        public static AuthenticationKeys ImportRemaining(byte[] exported)
        {
            ArgumentNullException.ThrowIfNull(exported);
            var keys = new AuthenticationKeys();
            var reader = new BinaryReader(new MemoryStream(exported));
            try
            {
                foreach (var pool in new[] { keys.AliceToBob, keys.BobToAlice })
                {
                    int length = reader.ReadInt32();
                    if (length < 0) throw new InvalidDataException("negative pool length");
                    byte[] bytes = reader.ReadBytes((int)(((long)length + 7) >> 3));
                    if (bytes.Length * 8L < length) throw new EndOfStreamException();
                    pool.Add(BitVector.FromPackedBytes(bytes, length));
                    Array.Clear(bytes);
                }
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("the saved authentication pool is truncated");
            }
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
