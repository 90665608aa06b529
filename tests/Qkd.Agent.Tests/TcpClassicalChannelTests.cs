using System.Net;
using System.Net.Sockets;
using Qkd.Agent.Channel;
using Qkd.PostProcessing.Authentication;
using Qkd.PostProcessing.Tests.TwoPartySupport;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.Tests;

public class TcpClassicalChannelTests
{
    private static async Task<(TcpClassicalChannel Alice, TcpClassicalChannel Bob)> ConnectedPair(TimeSpan timeout, int maxBytes = TcpClassicalChannel.DefaultMaxMessageBytes)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = TcpClassicalChannel.AcceptAsync(listener, timeout, maxBytes);
        var bob = await TcpClassicalChannel.ConnectAsync("127.0.0.1", port, timeout, maxBytes);
        var alice = await accept;
        listener.Stop();
        return (alice, bob);
    }

    [Fact]
    public async Task Messages_arrive_whole_and_in_order()
    {
        var (alice, bob) = await ConnectedPair(TimeSpan.FromSeconds(10));
        using (alice)
        using (bob)
        {
            var big = TwoPartyTestData.Secret(300_000, 1);
            await alice.SendAsync(new byte[] { 1, 2, 3 });
            await alice.SendAsync(big);
            await alice.SendAsync(Array.Empty<byte>());
            Assert.Equal(new byte[] { 1, 2, 3 }, await bob.ReceiveAsync());
            Assert.Equal(big, await bob.ReceiveAsync());
            Assert.Empty(await bob.ReceiveAsync());
            await bob.SendAsync(new byte[] { 9 });
            Assert.Equal(new byte[] { 9 }, await alice.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Peer_gone_is_an_IOException()
    {
        var (alice, bob) = await ConnectedPair(TimeSpan.FromSeconds(10));
        alice.Dispose();
        using (bob)
            Assert.Contains("closed", (await Assert.ThrowsAsync<IOException>(async () => await bob.ReceiveAsync())).Message);
    }

    [Fact]
    public async Task Silence_beyond_the_timeout_is_an_IOException()
    {
        // Connect with a generous timeout (a loaded CI machine may take longer than 0.3 s to accept), then shorten it.
        var (alice, bob) = await ConnectedPair(TimeSpan.FromSeconds(10));
        using (alice)
        using (bob)
        {
            bob.Timeout = TimeSpan.FromMilliseconds(300);
            var started = System.Diagnostics.Stopwatch.StartNew();
            Assert.Contains("timed out", (await Assert.ThrowsAsync<IOException>(async () => await bob.ReceiveAsync())).Message);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(9), $"the receive waited {started.Elapsed}, not the shortened timeout");
        }
    }

    [Fact]
    public async Task A_timeout_that_is_not_positive_is_refused()
    {
        var (alice, bob) = await ConnectedPair(TimeSpan.FromSeconds(10));
        using (alice)
        using (bob)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => bob.Timeout = TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromSeconds(10), bob.Timeout);
        }
    }

    [Fact]
    public async Task A_message_above_the_limit_is_not_sent_and_one_at_the_limit_is()
    {
        var (alice, bob) = await ConnectedPair(TimeSpan.FromSeconds(10), maxBytes: 1000);
        using (alice)
        using (bob)
        {
            Assert.Contains("limit", (await Assert.ThrowsAsync<IOException>(async () => await alice.SendAsync(new byte[1001]))).Message);
            await alice.SendAsync(new byte[1000]);
            Assert.Equal(1000, (await bob.ReceiveAsync()).Length);
        }
    }

    [Fact]
    public async Task Announced_length_above_the_limit_is_refused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = TcpClassicalChannel.AcceptAsync(listener, TimeSpan.FromSeconds(10), maxMessageBytes: 1000);
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, port);
        using var alice = await accept;
        listener.Stop();
        await raw.GetStream().WriteAsync(BitConverter.GetBytes(1_000_000));
        Assert.Contains("limit", (await Assert.ThrowsAsync<IOException>(async () => await alice.ReceiveAsync())).Message);
    }

    [Fact]
    public async Task Two_party_post_processing_over_tcp_loopback_gives_identical_keys()
    {
        var (aliceTcp, bobTcp) = await ConnectedPair(TimeSpan.FromSeconds(30));
        using (aliceTcp)
        using (bobTcp)
        {
            byte[] psk = TwoPartyTestData.Secret(1024, 5);
            var alice = new AlicePostProcessor(new AuthenticatedChannel(aliceTcp, AuthenticationKeys.FromSharedSecret(psk), true), new HammingTestReconciler());
            var bob = new BobPostProcessor(new AuthenticatedChannel(bobTcp, AuthenticationKeys.FromSharedSecret(psk), false), new HammingTestReconciler());
            var (aliceBlock, bobBlock) = TwoPartyTestData.Block(1, 120_000, 0.6, 0.005, 6);
            var aliceRun = Task.Run(async () => { await alice.HelloAsync(); return await alice.ProcessBlockAsync(aliceBlock); });
            var bobRun = Task.Run(async () => { await bob.HelloAsync(); return await bob.ProcessBlockAsync(bobBlock); });
            var reports = await Task.WhenAll(aliceRun, bobRun).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(reports[0].SecretKeyBits > 1000);
            Assert.True(reports[0].Key.ContentEquals(reports[1].Key));
            Assert.Equal(reports[0].Figures(), reports[1].Figures());
        }
    }
}
