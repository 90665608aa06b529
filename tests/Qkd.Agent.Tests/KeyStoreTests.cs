using Microsoft.Data.Sqlite;
using Qkd.Agent.Keys;
using static Qkd.Agent.Tests.KeyStoreTestData;

namespace Qkd.Agent.Tests;

public class KeyStoreTests
{
    [Fact]
    public void Stored_block_is_listed_with_its_metadata_and_no_key()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        Assert.True(store.AddBlock(new KeyBlockInfo("run-7", 3, 0.0612, "hbn-2023", 1e-9), KeyBytes(3, 13), 100));
        var block = Assert.Single(store.List());
        Assert.Equal(("run-7", 3L, 0.0612, "hbn-2023", 1e-9, 100L, 0L), (block.Session, block.Block, block.Qber, block.Profile, block.Epsilon, block.BitLength, block.ConsumedBits));
        Assert.True((DateTimeOffset.UtcNow - block.CreatedUtc).Duration() < TimeSpan.FromMinutes(5));
        Assert.Equal(100, store.AvailableBits());
        Assert.True(File.Exists(Path.Combine(dir.Path, "keys.db")));
    }

    [Fact]
    public void Store_uses_wal_and_survives_reopening()
    {
        using var dir = new TempDataDir();
        using (var store = KeyStore.Open(dir.Path)) store.AddBlock(Info(1), KeyBytes(1, 8), 64);
        using (var store = KeyStore.Open(dir.Path))
        {
            Assert.Equal(64, store.AvailableBits());
            Assert.Equal("ok", store.IntegrityCheck());
        }
        using var raw = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "keys.db")};Pooling=False");
        raw.Open();
        using var mode = raw.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }

    [Fact]
    public void Same_block_stored_twice_is_ignored_not_doubled()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        Assert.True(store.AddBlock(Info(5), KeyBytes(5, 16), 128));
        Assert.False(store.AddBlock(Info(5), KeyBytes(99, 16), 128));
        Assert.Single(store.List());
        Assert.Equal(128, store.AvailableBits());
        Assert.Equal(Bits(KeyBytes(5, 16), 0, 128), Bits(store.Export(128).Bits, 0, 128));
    }

    [Fact]
    public void Bad_blocks_are_refused()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        Assert.Throws<ArgumentException>(() => store.AddBlock(Info(1), new byte[3], 25));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.AddBlock(Info(1), [], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.AddBlock(Info(1) with { Qber = 0.7 }, new byte[1], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.AddBlock(Info(1) with { Epsilon = 0 }, new byte[1], 8));
        Assert.Empty(store.List());
    }

    [Fact]
    public void Export_hands_out_bits_in_session_block_order_across_blocks()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        store.AddBlock(Info(2), KeyBytes(2, 5), 37); // added out of order on purpose
        store.AddBlock(Info(1), KeyBytes(1, 3), 20);
        store.AddBlock(Info(0, session: "s2"), KeyBytes(7, 2), 16);

        var first = store.Export(30);
        Assert.Equal([new KeyRange("s1", 1, 0, 20), new KeyRange("s1", 2, 0, 10)], first.Ranges);
        Assert.Equal(Bits(KeyBytes(1, 3), 0, 20).Concat(Bits(KeyBytes(2, 5), 0, 10)), Bits(first.Bits, 0, 30));
        Assert.Equal(4, first.Bits.Length);

        var second = store.Export(30);
        Assert.Equal([new KeyRange("s1", 2, 10, 27), new KeyRange("s2", 0, 0, 3)], second.Ranges);
        Assert.Equal(Bits(KeyBytes(2, 5), 10, 27).Concat(Bits(KeyBytes(7, 2), 0, 3)), Bits(second.Bits, 0, 30));
        Assert.Equal(13, store.AvailableBits());
    }

    [Fact]
    public void Not_enough_key_consumes_nothing_and_says_how_much_there_is()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        store.AddBlock(Info(1), KeyBytes(1, 4), 32);
        store.Export(10);
        var refused = Assert.Throws<KeyStoreException>(() => store.Export(23));
        Assert.Equal(KeyStoreError.InsufficientKey, refused.Error);
        Assert.Contains("22", refused.Message);
        Assert.Equal(22, store.AvailableBits());
        Assert.Equal(Bits(KeyBytes(1, 4), 10, 22), Bits(store.Export(22).Bits, 0, 22));
    }

    [Fact]
    public void Consumed_bits_are_zeroed_in_the_database_file()
    {
        using var dir = new TempDataDir();
        var key = KeyBytes(1, 8);
        Array.Fill(key, (byte)0xFF);
        using (var store = KeyStore.Open(dir.Path))
        {
            store.AddBlock(Info(1), key, 64);
            store.Export(20);
        }
        using var raw = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "keys.db")};Pooling=False");
        raw.Open();
        using var read = raw.CreateCommand();
        read.CommandText = "SELECT key_bits, consumed_bits FROM key_block;";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        var stored = (byte[])reader.GetValue(0);
        Assert.Equal(20, reader.GetInt64(1));
        Assert.All(Bits(stored, 0, 20), b => Assert.False(b));
        Assert.All(Bits(stored, 20, 44), b => Assert.True(b));
    }

    [Fact]
    public void Two_stores_with_the_same_blocks_hand_out_the_same_bits_in_the_same_order()
    {
        using var aliceDir = new TempDataDir();
        using var bobDir = new TempDataDir();
        using var alice = KeyStore.Open(aliceDir.Path);
        using var bob = KeyStore.Open(bobDir.Path);
        int[] sizes = [100, 257, 64, 1000];
        for (int b = 0; b < sizes.Length; b++) alice.AddBlock(Info(b), KeyBytes(b, (sizes[b] + 7) / 8), sizes[b]);
        for (int b = sizes.Length - 1; b >= 0; b--) bob.AddBlock(Info(b), KeyBytes(b, (sizes[b] + 7) / 8), sizes[b]);

        foreach (int n in new[] { 1, 99, 300, 17, 500, 500 })
        {
            var a = alice.Export(n);
            var b = bob.Export(n);
            Assert.Equal(a.Ranges, b.Ranges);
            Assert.Equal(a.Bits, b.Bits);
        }
        Assert.Equal(alice.AvailableBits(), bob.AvailableBits());
    }

    [Fact]
    public void Concurrent_exports_from_threads_never_overlap_and_miss_nothing()
    {
        using var dir = new TempDataDir();
        const int blocks = 6, bitsPerBlock = 4096;
        using (var setup = KeyStore.Open(dir.Path))
        {
            for (int b = 0; b < blocks; b++) setup.AddBlock(Info(b), KeyBytes(b, bitsPerBlock / 8), bitsPerBlock);
        }
        var ranges = new System.Collections.Concurrent.ConcurrentBag<KeyRange>();
        // Each thread has its own connection, as separate processes would.
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            using var store = KeyStore.Open(dir.Path);
            for (int i = 0; i < 24; i++) foreach (var r in store.Export(251 + t).Ranges) ranges.Add(r);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        AssertDisjoint(ranges);
        long handedOut = ranges.Sum(r => r.BitLength);
        Assert.Equal(24 * (251 + 252 + 253 + 254), handedOut);
        using var check = KeyStore.Open(dir.Path);
        Assert.Equal(blocks * bitsPerBlock - handedOut, check.AvailableBits());
    }

    [Fact]
    public void Many_openers_of_a_new_store_at_once_all_get_a_working_store()
    {
        using var dir = new TempDataDir();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            using var store = KeyStore.Open(dir.Path);
            store.AddBlock(Info(t), KeyBytes(t, 4), 32);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        using var check = KeyStore.Open(dir.Path);
        Assert.Equal([0L, 1, 2, 3], check.List().Select(b => b.Block));
        Assert.Equal("ok", check.IntegrityCheck());
    }

    [Fact]
    public void Take_exactly_follows_the_senders_ranges()
    {
        using var aliceDir = new TempDataDir();
        using var bobDir = new TempDataDir();
        using var alice = KeyStore.Open(aliceDir.Path);
        using var bob = KeyStore.Open(bobDir.Path);
        foreach (var s in new[] { alice, bob })
            for (int b = 0; b < 3; b++) s.AddBlock(Info(b), KeyBytes(b, 8), 64);

        alice.Export(70); // used by Alice for something Bob never saw
        var sent = alice.Export(100);
        var taken = bob.TakeExactly(sent.Ranges);
        Assert.Equal(sent.Bits, taken.Bits);
        Assert.Equal(70, taken.DiscardedBits);
        Assert.Equal(alice.AvailableBits(), bob.AvailableBits());
        Assert.Equal(alice.Export(22).Bits, bob.Export(22).Bits); // back in step
    }

    [Fact]
    public void Take_exactly_refuses_consumed_or_missing_bits_and_consumes_nothing()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        store.AddBlock(Info(0), KeyBytes(0, 8), 64);
        store.AddBlock(Info(1), KeyBytes(1, 8), 64);
        store.Export(10);

        var consumed = Assert.Throws<KeyStoreException>(() => store.TakeExactly([new KeyRange("s1", 0, 5, 10)]));
        Assert.Equal(KeyStoreError.RangeConsumed, consumed.Error);
        var noBlock = Assert.Throws<KeyStoreException>(() => store.TakeExactly([new KeyRange("s1", 0, 10, 54), new KeyRange("s9", 0, 0, 8)]));
        Assert.Equal(KeyStoreError.RangeMissing, noBlock.Error);
        var pastEnd = Assert.Throws<KeyStoreException>(() => store.TakeExactly([new KeyRange("s1", 1, 60, 8)]));
        Assert.Equal(KeyStoreError.RangeMissing, pastEnd.Error);

        Assert.Equal(118, store.AvailableBits());
        Assert.Equal([new KeyRange("s1", 0, 10, 5)], store.Export(5).Ranges);
    }

    [Fact]
    public void Exported_key_never_shows_its_bits_when_printed()
    {
        using var dir = new TempDataDir();
        using var store = KeyStore.Open(dir.Path);
        store.AddBlock(Info(0), [0xAB, 0xCD], 16);
        var export = store.Export(16);
        Assert.DoesNotContain("AB", export.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("171", export.ToString());
    }

    internal static void AssertDisjoint(IEnumerable<KeyRange> ranges)
    {
        foreach (var group in ranges.GroupBy(r => (r.Session, r.Block)))
        {
            long end = 0;
            foreach (var r in group.OrderBy(r => r.BitOffset))
            {
                Assert.True(r.BitOffset >= end, $"bits of {r.Session}/{r.Block} handed out twice near bit {r.BitOffset}");
                end = r.BitOffset + r.BitLength;
            }
        }
    }
}

public class PackedBitsTests
{
    [Fact]
    public void Copy_and_clear_match_a_bit_by_bit_reference_at_every_alignment()
    {
        var random = new Random(11);
        var source = new byte[40];
        random.NextBytes(source);
        for (int from = 0; from < 24; from++)
        for (int to = 0; to < 24; to++)
        foreach (int count in new[] { 1, 7, 8, 9, 63, 130 })
        {
            var destination = new byte[40];
            random.NextBytes(destination);
            var expected = (byte[])destination.Clone();
            for (int i = 0; i < count; i++) SetBit(expected, to + i, Bit(source, from + i));
            Keys.PackedBits.Copy(source, from, destination, to, count);
            Assert.Equal(expected, destination);

            var cleared = (byte[])destination.Clone();
            Keys.PackedBits.Clear(cleared, from, count);
            var reference = (byte[])destination.Clone();
            for (int i = 0; i < count; i++) SetBit(reference, from + i, false);
            Assert.Equal(reference, cleared);
        }
    }

    private static bool Bit(byte[] b, int i) => ((b[i >> 3] >> (i & 7)) & 1) != 0;

    private static void SetBit(byte[] b, int i, bool v)
    {
        if (v) b[i >> 3] |= (byte)(1 << (i & 7));
        else b[i >> 3] &= (byte)~(1 << (i & 7));
    }
}
