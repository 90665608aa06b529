using System.Security.Authentication;
using Qkd.PostProcessing.Authentication;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests;

public class AuthenticationTests
{
    private static byte[] Secret(int bytes, int seed)
    {
        var secret = new byte[bytes];
        new Random(seed).NextBytes(secret);
        return secret;
    }

    private static (AuthenticatedChannel Alice, AuthenticatedChannel Bob, ManipulatedChannel BobWire) Pair(byte[] aliceSecret, byte[] bobSecret)
    {
        var (a, b) = InMemoryClassicalChannel.CreatePair();
        var bobWire = new ManipulatedChannel(b);
        return (new AuthenticatedChannel(a, AuthenticationKeys.FromSharedSecret(aliceSecret), isAlice: true),
                new AuthenticatedChannel(bobWire, AuthenticationKeys.FromSharedSecret(bobSecret), isAlice: false),
                bobWire);
    }

    [Fact]
    public async Task Messages_pass_both_ways_and_consume_key_identically()
    {
        var secret = Secret(1024, 1);
        var (alice, bob, _) = Pair(secret, secret);
        for (int i = 0; i < 5; i++)
        {
            byte[] message = Secret(i * 13 + 1, 100 + i);
            await alice.SendAsync(message);
            Assert.Equal(message, await bob.ReceiveAsync());
            await bob.SendAsync(message.AsMemory(0, message.Length / 2));
            Assert.Equal(message.AsSpan(0, message.Length / 2).ToArray(), await alice.ReceiveAsync());
        }
        // 10 pads of 64 bits plus one 64-bit hash key per direction.
        Assert.Equal(12 * 64, alice.Keys.ConsumedBits);
        Assert.Equal(alice.Keys.ConsumedBits, bob.Keys.ConsumedBits);
    }

    [Fact]
    public async Task Tampered_payload_is_refused_and_the_channel_stays_refused()
    {
        var secret = Secret(1024, 2);
        var (alice, bob, wire) = Pair(secret, secret);
        wire.OnReceive = frames => { frames[0][10] ^= 0x04; return frames; };
        await alice.SendAsync(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
        Assert.Contains("failed authentication", error.Message);
        wire.OnReceive = null;
        await alice.SendAsync(new byte[] { 1 });
        await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
        await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.SendAsync(new byte[] { 1 }));
    }

    [Fact]
    public async Task Tampered_tag_or_sequence_is_refused()
    {
        var secret = Secret(1024, 3);
        var (alice, bob, wire) = Pair(secret, secret);
        wire.OnReceive = frames => { frames[0][^1] ^= 0x80; return frames; };
        await alice.SendAsync(new byte[] { 42 });
        await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());

        (alice, bob, wire) = Pair(secret, secret);
        wire.OnReceive = frames => { frames[0][0] ^= 0x01; return frames; };
        await alice.SendAsync(new byte[] { 42 });
        await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
    }

    [Fact]
    public async Task Replayed_message_is_refused()
    {
        var secret = Secret(1024, 4);
        var (alice, bob, wire) = Pair(secret, secret);
        byte[]? first = null;
        wire.OnReceive = frames => { first ??= (byte[])frames[0].Clone(); return frames; };
        await alice.SendAsync(new byte[] { 7, 7, 7 });
        Assert.Equal(new byte[] { 7, 7, 7 }, await bob.ReceiveAsync());
        wire.OnReceive = _ => new[] { first! };
        await alice.SendAsync(new byte[] { 8 });
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
        Assert.Contains("replay", error.Message);
    }

    [Fact]
    public async Task Reordered_messages_are_refused()
    {
        var secret = Secret(1024, 5);
        var (alice, bob, wire) = Pair(secret, secret);
        byte[]? held = null;
        wire.OnReceive = frames =>
        {
            if (held is null) { held = frames[0]; return Array.Empty<byte[]>(); }
            return new[] { frames[0], held };
        };
        await alice.SendAsync(new byte[] { 1 });
        await alice.SendAsync(new byte[] { 2 });
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
        Assert.Contains("reordered", error.Message);
    }

    [Fact]
    public async Task Reflected_message_is_refused()
    {
        // Alice's own message fed back to her as if Bob had sent it: direction is bound into the tag.
        var secret = Secret(1024, 6);
        var (a, b) = InMemoryClassicalChannel.CreatePair();
        var alice = new AuthenticatedChannel(a, AuthenticationKeys.FromSharedSecret(secret), isAlice: true);
        await alice.SendAsync(new byte[] { 9, 9 });
        byte[] frame = await b.ReceiveAsync();
        await b.SendAsync(frame);
        await Assert.ThrowsAsync<AuthenticationException>(async () => await alice.ReceiveAsync());
    }

    [Fact]
    public async Task Wrong_key_is_refused()
    {
        var (alice, bob, _) = Pair(Secret(1024, 7), Secret(1024, 8));
        await alice.SendAsync(new byte[] { 1, 2, 3 });
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await bob.ReceiveAsync());
        Assert.Contains("different keys", error.Message);
    }

    [Fact]
    public async Task Exhausted_pool_refuses_to_send()
    {
        var secret = Secret(32, 9); // 128 bits per direction: hash key + one pad
        var (alice, bob, _) = Pair(secret, secret);
        await alice.SendAsync(new byte[] { 1 });
        Assert.Equal(new byte[] { 1 }, await bob.ReceiveAsync());
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await alice.SendAsync(new byte[] { 2 }));
        Assert.Contains("exhausted", error.Message);
    }

    [Fact]
    public void Pool_hands_out_bits_in_order_never_twice_and_accounts()
    {
        var bits = BitVector.Random(300, new Random(10));
        var pool = new KeyPool("test");
        pool.Add(bits.Slice(0, 100));
        Assert.Equal(BitVector.ReadBits(bits.Words, 300, 0, 64), pool.Take64());
        pool.Add(bits.Slice(100, 200)); // appended behind the unread rest, across a compaction
        Assert.Equal(BitVector.ReadBits(bits.Words, 300, 64, 64), pool.Take64());
        Assert.Equal(BitVector.ReadBits(bits.Words, 300, 128, 64), pool.Take64());
        Assert.Equal(BitVector.ReadBits(bits.Words, 300, 192, 64), pool.Take64());
        Assert.Equal(256, pool.ConsumedBits);
        Assert.Equal(44, pool.AvailableBits);
        Assert.Equal(300, pool.AddedBits);
        Assert.Throws<AuthenticationException>(() => pool.Take64());
        Assert.Equal(256, pool.ConsumedBits); // a refusal takes nothing
    }

    [Fact]
    public void Pool_never_repeats_a_64_bit_window()
    {
        var pool = new KeyPool("test");
        var secret = BitVector.Random(64 * 1000 + 17, new Random(11));
        pool.Add(secret.Slice(0, 5000));
        pool.Add(secret.Slice(5000, secret.Length - 5000));
        var seen = new HashSet<ulong>();
        for (int i = 0; i < 1000; i++) Assert.True(seen.Add(pool.Take64()));
    }

    /// <summary>A man in the middle on Bob's receive path: may drop, change, duplicate or reorder frames.</summary>
    private sealed class ManipulatedChannel : IClassicalChannel
    {
        private readonly IClassicalChannel _inner;
        private readonly Queue<byte[]> _pending = new();

        public ManipulatedChannel(IClassicalChannel inner) => _inner = inner;

        public Func<byte[][], byte[][]>? OnReceive { get; set; }

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) => _inner.SendAsync(message, cancellationToken);

        public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
        {
            while (_pending.Count == 0)
            {
                byte[] frame = await _inner.ReceiveAsync(cancellationToken);
                foreach (var f in OnReceive is null ? new[] { frame } : OnReceive(new[] { frame })) _pending.Enqueue(f);
            }
            return _pending.Dequeue();
        }
    }
}
