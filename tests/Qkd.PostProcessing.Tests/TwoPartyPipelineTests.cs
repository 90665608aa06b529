using System.Security.Authentication;
using Qkd.PostProcessing.Authentication;
using Qkd.PostProcessing.Tests.TwoPartySupport;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.PostProcessing.Tests;

public class TwoPartyPipelineTests
{
    private const int Pulses = 120_000;

    /// <summary>Runs both roles concurrently; a side that fails closes its transport, as a process exit would.</summary>
    internal static async Task<(Exception? AliceError, Exception? BobError, List<TwoPartyBlockReport> Alice, List<TwoPartyBlockReport> Bob, AuthenticationKeys AliceKeys, AuthenticationKeys BobKeys)> RunAsync(
        IReadOnlyList<(AliceBlock Alice, BobBlock Bob)> blocks, byte[]? alicePsk = null, byte[]? bobPsk = null,
        TwoPartyOptions? aliceOptions = null, TwoPartyOptions? bobOptions = null, Func<IClassicalChannel, IClassicalChannel>? bobWire = null)
    {
        var psk = TwoPartyTestData.Secret(2048, 77);
        var (a, b) = InMemoryClassicalChannel.CreatePair();
        var aliceChannel = new AuthenticatedChannel(a, AuthenticationKeys.FromSharedSecret(alicePsk ?? psk), isAlice: true);
        var bobChannel = new AuthenticatedChannel(bobWire?.Invoke(b) ?? b, AuthenticationKeys.FromSharedSecret(bobPsk ?? psk), isAlice: false);
        var aliceReports = new List<TwoPartyBlockReport>();
        var bobReports = new List<TwoPartyBlockReport>();
        var alice = new AlicePostProcessor(aliceChannel, new HammingTestReconciler(), aliceOptions);
        var bob = new BobPostProcessor(bobChannel, new HammingTestReconciler(), bobOptions);
        var aliceTask = Task.Run(async () =>
        {
            try
            {
                await alice.HelloAsync();
                foreach (var block in blocks) aliceReports.Add(await alice.ProcessBlockAsync(block.Alice));
                return null;
            }
            catch (Exception e) { a.Close(); return e; }
        });
        var bobTask = Task.Run(async () =>
        {
            try
            {
                await bob.HelloAsync();
                foreach (var block in blocks) bobReports.Add(await bob.ProcessBlockAsync(block.Bob));
                return null;
            }
            catch (Exception e) { b.Close(); return e; }
        });
        var errors = await Task.WhenAll(aliceTask, bobTask).WaitAsync(TimeSpan.FromSeconds(60));
        return (errors[0], errors[1], aliceReports, bobReports, aliceChannel.Keys, bobChannel.Keys);
    }

    [Fact]
    public async Task Both_sides_end_with_the_same_key_and_the_same_figures()
    {
        var blocks = new[] { TwoPartyTestData.Block(1, Pulses, 0.6, 0.005, 1), TwoPartyTestData.Block(2, Pulses, 0.6, 0.005, 2) };
        var run = await RunAsync(blocks);
        Assert.Null(run.AliceError);
        Assert.Null(run.BobError);
        Assert.Equal(2, run.Alice.Count);
        for (int i = 0; i < 2; i++)
        {
            var alice = run.Alice[i];
            var bob = run.Bob[i];
            Assert.Equal(alice.Figures(), bob.Figures());
            Assert.True(alice.SecretKeyBits > 1000, $"secret key bits {alice.SecretKeyBits}");
            Assert.True(alice.Key.ContentEquals(bob.Key));
            Assert.InRange(alice.Qber.Qber, 0.0, 0.02);
            Assert.True(alice.AuthenticationReservedBits >= alice.AuthenticationBitsUsed);
            Assert.Equal(alice.SiftedBits, alice.SampleBits + alice.ReconciledBits + alice.FramesFailed * 372 + (alice.SiftedBits - alice.SampleBits) % 372);
        }
        // The two blocks' keys are different material, not a repeated output.
        Assert.False(run.Alice[0].Key.Slice(0, 256).ContentEquals(run.Alice[1].Key.Slice(0, 256)));
        // Pools stay in step and grow from generated key: more was added than the PSK held.
        Assert.Equal(run.AliceKeys.ConsumedBits, run.BobKeys.ConsumedBits);
        Assert.Equal(run.AliceKeys.AvailableBits, run.BobKeys.AvailableBits);
        Assert.Equal(2048 * 8 + run.Alice.Sum(r => r.AuthenticationReservedBits), run.AliceKeys.AddedBits);
    }

    [Fact]
    public async Task Generated_key_refills_the_pools_so_a_small_psk_lasts_many_blocks()
    {
        // 160 bytes: 640 bits per direction, less than two blocks' messages need without refills.
        var psk = TwoPartyTestData.Secret(160, 9);
        var blocks = Enumerable.Range(1, 3).Select(b => TwoPartyTestData.Block(b, Pulses, 0.6, 0.005, 20 + b)).ToArray();
        var run = await RunAsync(blocks, alicePsk: psk, bobPsk: psk);
        Assert.Null(run.AliceError);
        Assert.Null(run.BobError);
        Assert.Equal(3, run.Bob.Count);
        Assert.True(run.AliceKeys.ConsumedBits > 160 * 8, $"consumed {run.AliceKeys.ConsumedBits}");

        // A zero fraction still puts back at least what each block consumed.
        var starved = await RunAsync(blocks, alicePsk: psk, bobPsk: psk,
            aliceOptions: new TwoPartyOptions { AuthenticationReserveFraction = 0 }, bobOptions: new TwoPartyOptions { AuthenticationReserveFraction = 0 });
        Assert.True(starved.Alice.Count == 3, "a zero fraction still refills what each block used");
    }

    [Fact]
    public void Saved_pools_come_back_with_the_same_unused_bits()
    {
        var keys = AuthenticationKeys.FromSharedSecret(TwoPartyTestData.Secret(300, 10));
        keys.AliceToBob.Take64();
        keys.BobToAlice.Take64();
        keys.BobToAlice.Take64();
        var restored = AuthenticationKeys.ImportRemaining(keys.ExportRemaining());
        Assert.Equal(keys.AliceToBob.AvailableBits, restored.AliceToBob.AvailableBits);
        Assert.Equal(keys.BobToAlice.AvailableBits, restored.BobToAlice.AvailableBits);
        Assert.Equal(keys.AliceToBob.Take64(), restored.AliceToBob.Take64());
        Assert.Equal(keys.BobToAlice.Take64(), restored.BobToAlice.Take64());
        Assert.Throws<InvalidDataException>(() => AuthenticationKeys.ImportRemaining(keys.ExportRemaining()[..5]));
    }

    [Fact]
    public async Task Qber_above_the_threshold_stops_both_sides_without_a_key()
    {
        var run = await RunAsync(new[] { TwoPartyTestData.Block(1, Pulses, 0.6, 0.2, 3) });
        Assert.Empty(run.Alice);
        Assert.Empty(run.Bob);
        Assert.Contains("above the threshold", Assert.IsType<TwoPartyAbortException>(run.AliceError).Message);
        Assert.Contains("above the threshold", Assert.IsType<TwoPartyAbortException>(run.BobError).Message);
    }

    [Fact]
    public async Task Key_length_zero_stops_both_sides()
    {
        var run = await RunAsync(new[] { TwoPartyTestData.Block(1, 6_000, 0.6, 0.005, 4) });
        Assert.Empty(run.Alice);
        Assert.Empty(run.Bob);
        Assert.Contains("key length 0", Assert.IsType<TwoPartyAbortException>(run.AliceError).Message);
        Assert.Contains("key length 0", Assert.IsType<TwoPartyAbortException>(run.BobError).Message);
    }

    [Fact]
    public async Task Wrong_psk_stops_both_sides_at_the_hello()
    {
        var run = await RunAsync(new[] { TwoPartyTestData.Block(1, Pulses, 0.6, 0.005, 5) },
            alicePsk: TwoPartyTestData.Secret(2048, 1), bobPsk: TwoPartyTestData.Secret(2048, 2));
        Assert.Empty(run.Alice);
        Assert.Empty(run.Bob);
        Assert.IsType<AuthenticationException>(run.BobError);
        Assert.IsType<IOException>(run.AliceError);
    }

    [Fact]
    public async Task Tampered_message_mid_block_stops_both_sides_and_stores_nothing()
    {
        // Flip one bit of the 3rd message Alice sends (her revealed sample bits).
        var run = await RunAsync(new[] { TwoPartyTestData.Block(1, Pulses, 0.6, 0.005, 6) },
            bobWire: inner => new FlipNthReceived(inner, 3));
        Assert.Empty(run.Alice);
        Assert.Empty(run.Bob);
        Assert.Contains("failed authentication", Assert.IsType<AuthenticationException>(run.BobError).Message);
        Assert.NotNull(run.AliceError);
    }

    [Fact]
    public async Task Different_settings_stop_both_sides_naming_the_setting()
    {
        var run = await RunAsync(new[] { TwoPartyTestData.Block(1, Pulses, 0.6, 0.005, 7) },
            aliceOptions: new TwoPartyOptions { Profile = "hbn-2023" }, bobOptions: new TwoPartyOptions { Profile = "tomamichel-2012" });
        Assert.Empty(run.Alice);
        Assert.Contains("profile", Assert.IsType<TwoPartyAbortException>(run.BobError).Message);
        Assert.Contains("profile", Assert.IsType<TwoPartyAbortException>(run.AliceError).Message);
    }

    [Fact]
    public async Task Mismatched_blocks_are_refused()
    {
        var (alice, _) = TwoPartyTestData.Block(1, Pulses, 0.6, 0.005, 8);
        var (_, bob) = TwoPartyTestData.Block(2, Pulses, 0.6, 0.005, 8);
        var run = await RunAsync(new[] { (alice, bob) });
        Assert.Contains("block mismatch", Assert.IsType<TwoPartyAbortException>(run.AliceError).Message);
        Assert.Contains("block mismatch", Assert.IsType<TwoPartyAbortException>(run.BobError).Message);
    }

    private sealed class FlipNthReceived(IClassicalChannel inner, int n) : IClassicalChannel
    {
        private int _count;

        public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) => inner.SendAsync(message, cancellationToken);

        public async ValueTask<byte[]> ReceiveAsync(CancellationToken cancellationToken = default)
        {
            byte[] frame = await inner.ReceiveAsync(cancellationToken);
            if (++_count == n) frame[9] ^= 1;
            return frame;
        }
    }
}
