using System.Text.Json;
using Qkd.Agent.Keys;
using static Qkd.Agent.Tests.KeyStoreTestData;

namespace Qkd.Agent.Tests;

public class KeyStoreVerbTests
{
    private static void Seed(string dir, params int[] blockBits)
    {
        using var store = KeyStore.Open(dir);
        for (int b = 0; b < blockBits.Length; b++) store.AddBlock(Info(b), KeyBytes(b, (blockBits[b] + 7) / 8), blockBits[b]);
    }

    [Fact]
    public void List_json_shows_blocks_and_totals()
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100, 60);
        var (exit, output, _) = CliTests.Run("keys", "list", "--data", dir.Path, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(160, doc.RootElement.GetProperty("totalBits").GetInt64());
        Assert.Equal(160, doc.RootElement.GetProperty("availableBits").GetInt64());
        var blocks = doc.RootElement.GetProperty("blocks");
        Assert.Equal(2, blocks.GetArrayLength());
        Assert.Equal("s1", blocks[0].GetProperty("session").GetString());
        Assert.Equal(0.031, blocks[1].GetProperty("qber").GetDouble());
        Assert.Equal("hbn-2023", blocks[1].GetProperty("profile").GetString());
    }

    [Fact]
    public void List_text_has_one_row_per_block()
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100, 60, 8);
        var (exit, output, _) = CliTests.Run("keys", "list", "--data", dir.Path);
        Assert.Equal(0, exit);
        Assert.Contains("3 block(s), 168 bits stored, 168 unconsumed.", output);
    }

    [Fact]
    public void Missing_store_is_refused_with_exit_2()
    {
        using var dir = new TempDataDir();
        var (exit, _, error) = CliTests.Run("keys", "list", "--data", dir.Path);
        Assert.Equal(2, exit);
        Assert.Contains("no key store", error);
        Assert.False(File.Exists(Path.Combine(dir.Path, "keys.db")));
    }

    [Fact]
    public void Export_writes_the_next_bits_and_consumes_them()
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100, 60);
        string first = Path.Combine(dir.Path, "k1.bin"), second = Path.Combine(dir.Path, "k2.bin");
        Assert.Equal(0, CliTests.Run("keys", "export", "--data", dir.Path, "--bits", "104", "--out", first).Exit);
        Assert.Equal(0, CliTests.Run("keys", "export", "--data", dir.Path, "--bits", "56", "--out", second).Exit);

        var expected = Bits(KeyBytes(0, 13), 0, 100).Concat(Bits(KeyBytes(1, 8), 0, 60)).ToArray();
        Assert.Equal(13, new FileInfo(first).Length);
        Assert.Equal(expected[..104], Bits(File.ReadAllBytes(first), 0, 104));
        Assert.Equal(expected[104..], Bits(File.ReadAllBytes(second), 0, 56));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first));
        using var store = KeyStore.Open(dir.Path);
        Assert.Equal(0, store.AvailableBits());
    }

    [Fact]
    public void Export_of_more_than_stored_fails_and_consumes_nothing()
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100);
        string file = Path.Combine(dir.Path, "k.bin");
        var (exit, _, error) = CliTests.Run("keys", "export", "--data", dir.Path, "--bits", "101", "--out", file);
        Assert.Equal(3, exit);
        Assert.Contains("Not enough key", error);
        Assert.Contains("100 unconsumed", error);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(dir.Path, "k.bin*"));
        using var store = KeyStore.Open(dir.Path);
        Assert.Equal(100, store.AvailableBits());
    }

    [Fact]
    public void Export_refuses_to_overwrite_and_consumes_nothing()
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100);
        string file = Path.Combine(dir.Path, "k.bin");
        File.WriteAllText(file, "keep me");
        var (exit, _, error) = CliTests.Run("keys", "export", "--data", dir.Path, "--bits", "8", "--out", file);
        Assert.Equal(2, exit);
        Assert.Contains("already exists", error);
        Assert.Equal("keep me", File.ReadAllText(file));
        using var store = KeyStore.Open(dir.Path);
        Assert.Equal(100, store.AvailableBits());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Export_needs_a_positive_bit_count(string bits)
    {
        using var dir = new TempDataDir();
        Seed(dir.Path, 100);
        var (exit, _, _) = CliTests.Run("keys", "export", "--data", dir.Path, "--bits", bits, "--out", Path.Combine(dir.Path, "k.bin"));
        Assert.Equal(2, exit);
    }
}
