using Qkd.Agent.Keys;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Qkd.Agent.RawData;
using Qkd.Agent.Verbs;
using Qkd.PostProcessing.Tests.TwoPartySupport;

namespace Qkd.Agent.Tests;

public sealed class PostprocessVerbTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "qkd-pp-" + Guid.NewGuid().ToString("N"));

    static PostprocessVerbTests() => PostprocessVerb.ExtraReconcilers.TryAdd("hamming-test", () => new HammingTestReconciler());

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string MakeRaw(string name, int blocks, int seed)
    {
        string dir = Path.Combine(_root, name);
        var raw = RawDataDirectory.Create(dir, new RawSession { Preset = "test" });
        for (int b = 1; b <= blocks; b++)
        {
            var (alice, bob) = TwoPartyTestData.Block(b, 120_000, 0.6, 0.005, seed + b);
            raw.WriteAlice(alice);
            raw.WriteBob(bob);
        }
        return dir;
    }

    private string Psk(string name, int seed)
    {
        string path = Path.Combine(_root, name);
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(path, TwoPartyTestData.Secret(1024, seed));
        return path;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task<((int Exit, string Out, string Err) Alice, (int Exit, string Out, string Err) Bob)> RunPair(
        string raw, string alicePsk, string bobPsk, int port, int? bobPort = null, string timeout = "20")
    {
        var alice = Task.Run(() => CliTests.Run("postprocess", "--raw", raw, "--role", "alice", "--listen", $"127.0.0.1:{port}",
            "--psk", alicePsk, "--data", Path.Combine(_root, "data-alice"), "--reconciler", "hamming-test", "--timeout", timeout, "--json"));
        var bob = Task.Run(() => CliTests.Run("postprocess", "--raw", raw, "--role", "bob", "--peer", $"127.0.0.1:{bobPort ?? port}",
            "--psk", bobPsk, "--data", Path.Combine(_root, "data-bob"), "--reconciler", "hamming-test", "--timeout", timeout, "--json"));
        var results = await Task.WhenAll(alice, bob).WaitAsync(TimeSpan.FromSeconds(120));
        return (results[0], results[1]);
    }

    /// <summary>The key blocks in a role's SQLite store, in hand-out order (no key bits).</summary>
    private KeyBlockSummary[] KeyFiles(string role)
    {
        string data = Path.Combine(_root, $"data-{role}");
        if (!File.Exists(Path.Combine(data, KeyStore.FileName))) return Array.Empty<KeyBlockSummary>();
        using var store = KeyStore.Open(data);
        return store.List().ToArray();
    }

    /// <summary>Every stored block's key bits, packed, in hand-out order; consumes them as a user's export would.</summary>
    private byte[][] TakeKeys(string role)
    {
        using var store = KeyStore.Open(Path.Combine(_root, $"data-{role}"));
        return store.List().Select(block => store.TakeExactly(new[] { new KeyRange(block.Session, block.Block, 0, block.BitLength) }).Bits).ToArray();
    }

    private static JsonElement LastJson(string output) => JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement;

    [Fact]
    public async Task Alice_and_bob_over_loopback_store_identical_keys_then_run_on_generated_key()
    {
        string raw = MakeRaw("raw1", 2, 100);
        string psk = Psk("psk", 1);
        var (alice, bob) = await RunPair(raw, psk, psk, FreePort());
        Assert.True(alice.Exit == 0, alice.Err);
        Assert.True(bob.Exit == 0, bob.Err);
        var a = LastJson(alice.Out);
        var b = LastJson(bob.Out);
        Assert.Equal(2, a.GetProperty("blocks").GetInt32());
        Assert.True(a.GetProperty("secretKeyBits").GetInt64() > 2000);
        foreach (string name in new[] { "blocks", "pulses", "detections", "siftedBits", "secretKeyBits", "authKeyBitsUsed", "authKeyBitsReserved", "session" })
            Assert.Equal(a.GetProperty(name).ToString(), b.GetProperty(name).ToString());
        Assert.Equal(a.GetProperty("qber").GetDouble(), b.GetProperty("qber").GetDouble());
        Assert.Equal("psk", a.GetProperty("authKeySource").GetString());

        Assert.Equal(2, KeyFiles("alice").Length);
        byte[][] aliceKeys = TakeKeys("alice"), bobKeys = TakeKeys("bob");
        Assert.Equal(2, aliceKeys.Length);
        Assert.Equal(2, bobKeys.Length);
        for (int i = 0; i < 2; i++) Assert.Equal(aliceKeys[i], bobKeys[i]);

        // Second session: the authentication pool saved from the first (generated key) replaces the PSK.
        string raw2 = MakeRaw("raw2", 1, 200);
        var (alice2, bob2) = await RunPair(raw2, Psk("other-psk-unused", 2), Psk("other-psk-unused-b", 3), FreePort());
        Assert.True(alice2.Exit == 0, alice2.Err);
        Assert.True(bob2.Exit == 0, bob2.Err);
        Assert.Equal("pool", LastJson(alice2.Out).GetProperty("authKeySource").GetString());
        Assert.Equal(3, KeyFiles("alice").Length);
    }

    [Fact]
    public async Task Wrong_psk_makes_both_sides_fail_and_store_nothing()
    {
        string raw = MakeRaw("raw", 1, 300);
        var (alice, bob) = await RunPair(raw, Psk("a.psk", 1), Psk("b.psk", 2), FreePort());
        Assert.Equal(PostprocessVerb.ExitAuthentication, bob.Exit);
        Assert.Contains("authentication failed", bob.Err);
        Assert.NotEqual(0, alice.Exit);
        Assert.Empty(KeyFiles("alice"));
        Assert.Empty(KeyFiles("bob"));
    }

    [Theory]
    [InlineData("tamper")]
    [InlineData("replay")]
    public async Task A_tampered_or_replayed_message_makes_both_sides_fail_and_store_nothing(string attack)
    {
        string raw = MakeRaw("raw", 1, 400);
        string psk = Psk("psk", 4);
        int alicePort = FreePort();
        await using var proxy = new FrameProxy(alicePort, (index, frame, previous) => attack switch
        {
            // Alice's 3rd message (her sample bits): one bit flipped, or her 2nd message sent again instead.
            "tamper" when index == 2 => [Flip(frame)],
            "replay" when index == 2 => [previous!],
            _ => [frame],
        });
        var (alice, bob) = await RunPair(raw, psk, psk, alicePort, proxy.Port, timeout: "10");
        Assert.Equal(PostprocessVerb.ExitAuthentication, bob.Exit);
        Assert.Contains(attack == "tamper" ? "failed authentication" : "replay", bob.Err);
        Assert.NotEqual(0, alice.Exit);
        Assert.Empty(KeyFiles("alice"));
        Assert.Empty(KeyFiles("bob"));
    }

    [Fact]
    public async Task A_peer_killed_mid_block_stops_both_sides_with_nothing_stored_and_the_raw_data_intact()
    {
        string raw = MakeRaw("raw", 1, 400);
        string psk = Psk("psk", 5);
        var before = Directory.GetFiles(raw, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(f))).ToArray();
        int alicePort = FreePort();
        // The link dies after Alice's 2nd message, as when Bob's agent is killed mid-block: both connections drop.
        await using var proxy = new FrameProxy(alicePort, (index, frame, _) => index == 2 ? throw new IOException("peer killed") : [frame]);
        var (alice, bob) = await RunPair(raw, psk, psk, alicePort, proxy.Port, timeout: "10");
        Assert.NotEqual(0, alice.Exit);
        Assert.NotEqual(0, bob.Exit);
        Assert.Empty(KeyFiles("alice"));
        Assert.Empty(KeyFiles("bob"));
        var after = Directory.GetFiles(raw, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(f))).ToArray();
        Assert.Equal(before.Select(x => x.f), after.Select(x => x.f));
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i].Item2, after[i].Item2);
    }

    [Fact]
    public async Task A_truncated_raw_file_stops_with_a_clear_error_naming_it()
    {
        string raw = MakeRaw("raw", 1, 500);
        string bobFile = Path.Combine(raw, "bob", RawBlockFormat.FileName(1));
        byte[] bytes = File.ReadAllBytes(bobFile);
        File.WriteAllBytes(bobFile, bytes.AsSpan(0, 5000).ToArray());
        string psk = Psk("psk", 5);
        var (alice, bob) = await RunPair(raw, psk, psk, FreePort(), timeout: "10");
        Assert.Equal(2, bob.Exit);
        Assert.Contains(bobFile, bob.Err);
        Assert.Contains("offset 5000", bob.Err);
        Assert.Equal(PostprocessVerb.ExitAborted, alice.Exit);
        Assert.Contains("bob's raw data is unreadable", alice.Err);
        Assert.Empty(KeyFiles("alice"));
    }

    [Fact]
    public void Missing_listen_address_and_short_psk_are_bad_input()
    {
        string raw = MakeRaw("raw", 1, 600);
        var (exit, _, err) = CliTests.Run("postprocess", "--raw", raw, "--role", "alice", "--psk", Psk("psk", 6), "--data", Path.Combine(_root, "d"));
        Assert.Equal(2, exit);
        Assert.Contains("--listen", err);
        string shortPsk = Path.Combine(_root, "short.psk");
        File.WriteAllBytes(shortPsk, new byte[16]);
        (exit, _, err) = CliTests.Run("postprocess", "--raw", raw, "--role", "bob", "--peer", "127.0.0.1:1", "--psk", shortPsk, "--data", Path.Combine(_root, "d"));
        Assert.Equal(2, exit);
        Assert.Contains("at least", err);
    }

    [Fact]
    public async Task Halves_of_different_sessions_are_refused_by_both_sides()
    {
        string raw1 = MakeRaw("raw1", 1, 800), raw2 = MakeRaw("raw2", 1, 800);
        string psk = Psk("psk", 8);
        int port = FreePort();
        var alice = Task.Run(() => CliTests.Run("postprocess", "--raw", raw1, "--role", "alice", "--listen", $"127.0.0.1:{port}",
            "--psk", psk, "--data", Path.Combine(_root, "data-alice"), "--reconciler", "hamming-test", "--timeout", "10"));
        var bob = Task.Run(() => CliTests.Run("postprocess", "--raw", raw2, "--role", "bob", "--peer", $"127.0.0.1:{port}",
            "--psk", psk, "--data", Path.Combine(_root, "data-bob"), "--reconciler", "hamming-test", "--timeout", "10"));
        var results = await Task.WhenAll(alice, bob).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var (exit, _, err) in results)
        {
            Assert.Equal(PostprocessVerb.ExitAborted, exit);
            Assert.Contains("setting 'session' differs", err);
        }
        Assert.Empty(KeyFiles("alice"));
        Assert.Empty(KeyFiles("bob"));
    }

    [Fact]
    public void A_session_that_did_not_end_cleanly_blocks_reuse_of_the_pool()
    {
        string raw = MakeRaw("raw", 1, 700);
        string auth = Path.Combine(_root, "data-alice", "auth");
        Directory.CreateDirectory(auth);
        File.WriteAllBytes(Path.Combine(auth, "pool-alice.bin.in-use"), Array.Empty<byte>());
        var (exit, _, err) = CliTests.Run("postprocess", "--raw", raw, "--role", "alice", "--listen", "127.0.0.1:1",
            "--psk", Psk("psk", 7), "--data", Path.Combine(_root, "data-alice"));
        Assert.Equal(2, exit);
        Assert.Contains("did not end cleanly", err);
    }

    private static byte[] Flip(byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        copy[10] ^= 0x01;
        return copy;
    }

    /// <summary>A man in the middle between Bob and Alice that rewrites Alice's frames (length-prefixed) on their way to Bob.</summary>
    private sealed class FrameProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _run;
        private readonly CancellationTokenSource _stop = new();

        public FrameProxy(int alicePort, Func<int, byte[], byte[]?, byte[][]> rewrite)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _run = Task.Run(async () =>
            {
                using var bob = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var alice = await ConnectWhenListening(alicePort, _stop.Token);
                var toAlice = bob.GetStream().CopyToAsync(alice.GetStream(), _stop.Token);
                var toBob = Task.Run(async () =>
                {
                    var from = alice.GetStream();
                    var to = bob.GetStream();
                    var header = new byte[4];
                    byte[]? previous = null;
                    for (int index = 0; ; index++)
                    {
                        await from.ReadExactlyAsync(header, _stop.Token);
                        var frame = new byte[BinaryPrimitives.ReadInt32LittleEndian(header)];
                        await from.ReadExactlyAsync(frame, _stop.Token);
                        foreach (var f in rewrite(index, frame, previous))
                        {
                            BinaryPrimitives.WriteInt32LittleEndian(header, f.Length);
                            await to.WriteAsync(header, _stop.Token);
                            await to.WriteAsync(f, _stop.Token);
                        }
                        previous = frame;
                    }
                });
                await Task.WhenAny(toAlice, toBob);
            });
        }

        public int Port { get; }

        /// <summary>Alice's process may not listen yet when Bob reaches the proxy.</summary>
        private static async Task<TcpClient> ConnectWhenListening(int port, CancellationToken token)
        {
            for (int attempt = 0; ; attempt++)
            {
                var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, token);
                    return client;
                }
                catch (SocketException) when (attempt < 100)
                {
                    client.Dispose();
                    await Task.Delay(50, token);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try { await _run; } catch (Exception) { /* the connections end with the test */ }
        }
    }
}
