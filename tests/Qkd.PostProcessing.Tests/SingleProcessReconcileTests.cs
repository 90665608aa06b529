using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests;

/// <summary>
/// The single-process reconcile path: both halves start on the caller's thread and messages resume the peer on the
/// sender's thread (no Task.Run), and the syndromes message's words travel as one block copy.
/// </summary>
public class SingleProcessReconcileTests
{
    private static readonly BitVector Bits = new(64);

    [Fact]
    public async Task A_half_that_throws_before_its_first_await_is_reported_and_the_peer_does_not_hang()
    {
        var run = Task.Run(() => SyndromeProtocol.RunBothHalves(Bits, Bits, 0.05,
            (_, _) => throw new InvalidOperationException("bob failed at once"),
            async (channel, _) =>
            {
                await channel.ReceiveAsync();
                throw new InvalidDataException("Alice must not get a message");
            }));
        // A hang shows as a TimeoutException instead of the expected error.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("bob failed at once", error.Message);
    }

    [Fact]
    public async Task A_half_failing_after_a_message_round_trip_reports_its_own_error_not_the_closed_channel()
    {
        var run = Task.Run(() => SyndromeProtocol.RunBothHalves(Bits, Bits, 0.05,
            async (channel, _) =>
            {
                await channel.SendAsync(new byte[] { 1, 2, 3 });
                await channel.ReceiveAsync();
                throw new InvalidDataException("Bob expected more");
            },
            async (channel, _) =>
            {
                var message = await channel.ReceiveAsync();
                Assert.Equal(new byte[] { 1, 2, 3 }, message);
                await channel.SendAsync(new byte[] { 4 });
                await channel.ReceiveAsync(); // Bob closes instead of answering
                throw new InvalidOperationException("unreachable");
            }));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("Bob expected more", error.Message);
    }

    [Fact]
    public void Syndrome_words_survive_the_message_and_a_short_message_is_refused()
    {
        var random = new Random(7);
        var words = new ulong[3 * BitVector.WordCount(1000)];
        for (var i = 0; i < words.Length; i++) words[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        var sent = new ReconciliationMessages.Syndromes
        {
            Family = ReconciliationMessages.LongFamily, CodeIndex = 2, FrameBits = 900, Frames = 3, Punctured = 40, RevealStep = 9,
            Rounds = 5, SyndromeBits = 1000, Qber = 0.06, Words = words,
        };
        var message = ReconciliationMessages.WriteSyndromes(sent);
        var received = ReconciliationMessages.ReadSyndromes(message);
        Assert.Equal(words, received.Words);
        Assert.Equal(0.06, received.Qber);
        Assert.Equal(40, received.Punctured);
        Assert.Throws<InvalidDataException>(() => ReconciliationMessages.ReadSyndromes(message.AsSpan(0, message.Length - 8).ToArray()));
    }

    [Fact]
    public async Task A_channel_with_synchronous_continuations_keeps_message_order_both_ways()
    {
        var (alice, bob) = InMemoryClassicalChannel.CreatePair(synchronousContinuations: true);
        var bobSide = Task.Run(async () =>
        {
            for (byte i = 0; i < 50; i++)
            {
                var m = await bob.ReceiveAsync();
                Assert.Equal(i, m[0]);
                await bob.SendAsync(new[] { (byte)(i + 100) });
            }
        });
        for (byte i = 0; i < 50; i++)
        {
            await alice.SendAsync(new[] { i });
            Assert.Equal(i + 100, (await alice.ReceiveAsync())[0]);
        }
        await bobSide;
    }
}
