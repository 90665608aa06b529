using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Qkd.Agent.Keys;
using Qkd.Agent.RawData;

namespace Qkd.Agent.Tests.Sessions;

/// <summary>`qkd simulate --save-raw DIR` writes what `qkd postprocess --raw DIR` reads, one half per role.</summary>
public sealed class SimulateSaveRawTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("qkd-saveraw-").FullName;

    public void Dispose() => SessionTestRig.DeleteDirectory(_root);

    private static JsonElement LastJsonLine(string output) =>
        JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private byte[][] StoredKeys(string data)
    {
        using var store = KeyStore.Open(data);
        return store.List().Select(block => store.TakeExactly([new KeyRange(block.Session, block.Block, 0, block.BitLength)]).Bits).ToArray();
    }

    [Fact]
    public async Task Simulate_save_raw_is_read_by_the_postprocess_pair_and_both_store_identical_keys()
    {
        var raw = Path.Combine(_root, "raw");
        // The noiseless preset: 2e7-pulse blocks give ~18000 raw key bits, two 9000-bit LDPC frames (qd-2024 needs far larger blocks for a key).
        var (exit, output, error) = CliTests.Run("simulate", "--preset", "ideal", "--raw-bits", "20000", "--block-pulses", "20000000",
            "--seed", "1", "--data", Path.Combine(_root, "sim"), "--save-raw", raw, "--json");
        Assert.True(exit == 0, error);
        var simulated = LastJsonLine(output);

        var session = RawDataDirectory.Open(raw);
        Assert.Equal("ideal", session.Session.Preset);
        var blocks = simulated.GetProperty("blocks").GetInt32();
        Assert.Equal(blocks, session.BlockNumbers("alice").Length);
        Assert.Equal(session.BlockNumbers("alice"), session.BlockNumbers("bob"));
        // Alice's half holds her whole table (2 bits per pulse), not only the detected pulses.
        Assert.Equal(20_000_000, session.ReadAlice(session.BlockNumbers("alice")[0]).PulseCount);

        var psk = Path.Combine(_root, "psk");
        File.WriteAllBytes(psk, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        var port = FreePort();
        var alice = Task.Run(() => CliTests.Run("postprocess", "--raw", raw, "--role", "alice", "--listen", $"127.0.0.1:{port}",
            "--psk", psk, "--data", Path.Combine(_root, "data-alice"), "--timeout", "60", "--json"));
        var bob = Task.Run(() => CliTests.Run("postprocess", "--raw", raw, "--role", "bob", "--peer", $"127.0.0.1:{port}",
            "--psk", psk, "--data", Path.Combine(_root, "data-bob"), "--timeout", "60", "--json"));
        var results = await Task.WhenAll(alice, bob).WaitAsync(TimeSpan.FromSeconds(300));
        Assert.True(results[0].Exit == 0, results[0].Err);
        Assert.True(results[1].Exit == 0, results[1].Err);

        var a = LastJsonLine(results[0].Out);
        var b = LastJsonLine(results[1].Out);
        // The halves hold exactly what the simulated session measured.
        Assert.Equal(blocks, a.GetProperty("blocks").GetInt32());
        Assert.Equal(simulated.GetProperty("pulses").GetInt64(), a.GetProperty("pulses").GetInt64());
        Assert.Equal(simulated.GetProperty("detections").GetInt64(), a.GetProperty("detections").GetInt64());
        Assert.Equal(simulated.GetProperty("siftedBits").GetInt64(), a.GetProperty("siftedBits").GetInt64());
        Assert.Equal(a.GetProperty("secretKeyBits").GetInt64(), b.GetProperty("secretKeyBits").GetInt64());
        Assert.True(a.GetProperty("secretKeyBits").GetInt64() > 0);

        var aliceKeys = StoredKeys(Path.Combine(_root, "data-alice"));
        var bobKeys = StoredKeys(Path.Combine(_root, "data-bob"));
        Assert.NotEmpty(aliceKeys);
        Assert.Equal(aliceKeys.Length, bobKeys.Length);
        for (var i = 0; i < aliceKeys.Length; i++) Assert.Equal(aliceKeys[i], bobKeys[i]);
    }
}
