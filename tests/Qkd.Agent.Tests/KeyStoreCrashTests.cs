using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Qkd.Agent.Keys;

namespace Qkd.Agent.Tests;

/// <summary>
/// The key store against other processes: a writer killed mid-write (tests/Qkd.KeyStore.CrashHelper) and
/// two processes exporting at once. A kill leaves the OS page cache intact, so this proves the
/// transaction/WAL logic, not power-loss durability (that rests on synchronous=FULL).
/// </summary>
public class KeyStoreCrashTests
{
    private const int HelperBlockBytes = 1 << 18;

    [Fact]
    public void Killed_writer_leaves_a_consistent_store()
    {
        var random = new Random(5);
        for (int round = 0; round < 3; round++)
        {
            using var dir = new TempDataDir();
            long reportedBlocks = -1, reportedExported = 0;
            using (var helper = StartHelper("write", dir.Path, HelperBlockBytes.ToString()))
            {
                // Let it commit a few blocks, then kill it at a random point of its write loop.
                int target = 2 + round;
                var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 150));
                string? line;
                while ((line = helper.StandardOutput.ReadLine()) is not null)
                {
                    if (line.StartsWith("added ", StringComparison.Ordinal)) reportedBlocks = long.Parse(line[6..]);
                    else if (line.StartsWith("exported ", StringComparison.Ordinal)) reportedExported = long.Parse(line[9..]);
                    if (reportedBlocks >= target) break;
                }
                if (line is null) Assert.Fail("helper ended early: " + helper.StandardError.ReadToEnd());
                Thread.Sleep(killAfter);
                helper.Kill(entireProcessTree: true);
                helper.WaitForExit();
                // Drain what it printed before dying: those commits happened.
                while ((line = helper.StandardOutput.ReadLine()) is not null)
                {
                    if (line.StartsWith("added ", StringComparison.Ordinal)) reportedBlocks = long.Parse(line[6..]);
                    else if (line.StartsWith("exported ", StringComparison.Ordinal)) reportedExported = long.Parse(line[9..]);
                }
            }

            using var store = KeyStore.Open(dir.Path);
            Assert.Equal("ok", store.IntegrityCheck());
            var blocks = store.List();
            // Every committed block is there; at most one more (committed, killed before it printed).
            Assert.InRange(blocks.Count, reportedBlocks + 1, reportedBlocks + 2);
            Assert.Equal(Enumerable.Range(0, blocks.Count).Select(i => (long)i), blocks.Select(b => b.Block));
            long consumed = blocks.Sum(b => b.ConsumedBits);
            Assert.InRange(consumed, reportedExported, reportedExported + 4099);
            AssertBlocksWholeAndZeroedUpToCursor(dir.Path, blocks);
            // The store still works after the crash.
            Assert.Equal(4099, store.Export(4099).BitLength);
        }
    }

    [Fact]
    public async Task Two_processes_exporting_at_once_never_hand_out_the_same_bit()
    {
        using var dir = new TempDataDir();
        const int blocks = 4, blockBits = 8192;
        using (var setup = KeyStore.Open(dir.Path))
        {
            for (int b = 0; b < blocks; b++) setup.AddBlock(KeyStoreTestData.Info(b), KeyStoreTestData.KeyBytes(b, blockBits / 8), blockBits);
        }
        using var first = StartHelper("export", dir.Path, "301", "40");
        using var second = StartHelper("export", dir.Path, "299", "40");
        var outputs = new[] { first, second }.Select(p => p.StandardOutput.ReadToEndAsync()).ToArray();
        var errors = new[] { first, second }.Select(p => p.StandardError.ReadToEndAsync()).ToArray();
        string[] printed = await Task.WhenAll(outputs);
        string[] complaints = await Task.WhenAll(errors);
        await first.WaitForExitAsync();
        await second.WaitForExitAsync();
        Assert.True(first.ExitCode == 0, complaints[0]);
        Assert.True(second.ExitCode == 0, complaints[1]);

        var ranges = printed.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => line.Split(' '))
            .Select(f => new KeyRange(f[1], long.Parse(f[2]), long.Parse(f[3]), long.Parse(f[4])))
            .ToList();
        KeyStoreTests.AssertDisjoint(ranges);
        Assert.Equal(40 * (301 + 299), ranges.Sum(r => r.BitLength));
        using var store = KeyStore.Open(dir.Path);
        Assert.Equal(blocks * blockBits - 40 * (301 + 299), store.AvailableBits());
    }

    /// <summary>Reads the file directly: each block's bytes are the helper's pattern past the cursor and zero before it.</summary>
    private static void AssertBlocksWholeAndZeroedUpToCursor(string dataDir, IReadOnlyList<KeyBlockSummary> blocks)
    {
        using var raw = new SqliteConnection($"Data Source={Path.Combine(dataDir, KeyStore.FileName)};Pooling=False;Mode=ReadOnly");
        raw.Open();
        foreach (var block in blocks)
        {
            using var read = raw.CreateCommand();
            read.CommandText = "SELECT key_bits FROM key_block WHERE id = $id;";
            read.Parameters.AddWithValue("$id", block.Id);
            var key = (byte[])read.ExecuteScalar()!;
            Assert.Equal(HelperBlockBytes, key.Length);
            Assert.Equal(HelperBlockBytes * 8L, block.BitLength);
            Assert.InRange(block.ConsumedBits, 0, block.BitLength);
            for (long bit = 0; bit < block.BitLength; bit += 997) // a spread sample keeps the check fast
            {
                bool expected = bit >= block.ConsumedBits && ((Pattern(block.Block, (int)(bit >> 3)) >> (int)(bit & 7)) & 1) != 0;
                if (KeyStoreTestData.Bit(key, bit) != expected) Assert.Fail($"block {block.Block} bit {bit} is wrong (cursor {block.ConsumedBits})");
            }
        }
    }

    // Same formula as tests/Qkd.KeyStore.CrashHelper/Program.cs.
    private static byte Pattern(long block, int index) => (byte)(index * 131 + block * 17 + 1);

    private static Process StartHelper(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HelperPath());
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>The helper builds next to this test project (same configuration), see the ProjectReference.</summary>
    private static string HelperPath()
    {
        string here = AppContext.BaseDirectory;
        string path = Path.Combine(here.Replace(
            $"{Path.DirectorySeparatorChar}Qkd.Agent.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}Qkd.KeyStore.CrashHelper{Path.DirectorySeparatorChar}", StringComparison.Ordinal),
            "Qkd.KeyStore.CrashHelper.dll");
        Assert.True(File.Exists(path), $"crash helper not built at {path}");
        return path;
    }
}
