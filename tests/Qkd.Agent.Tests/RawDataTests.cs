using Qkd.Agent.RawData;
using Qkd.PostProcessing.Tests.TwoPartySupport;

namespace Qkd.Agent.Tests;

public sealed class RawDataTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qkd-raw-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Both_halves_and_the_session_round_trip()
    {
        var raw = RawDataDirectory.Create(_dir, new RawSession { Preset = "hbn-2023", BoardAlice = "boards/a.json", BoardBob = "boards/b.json" });
        var (alice, bob) = TwoPartyTestData.Block(7, 10_003, 0.3, 0.05, 1);
        raw.WriteAlice(alice);
        raw.WriteBob(bob);

        var opened = RawDataDirectory.Open(_dir);
        Assert.Equal(raw.Session.SessionId, opened.Session.SessionId);
        Assert.Equal("hbn-2023", opened.Session.Preset);
        Assert.Equal(new long[] { 7 }, opened.BlockNumbers("alice"));
        Assert.Equal(new long[] { 7 }, opened.BlockNumbers("bob"));
        var aliceBack = opened.ReadAlice(7);
        var bobBack = opened.ReadBob(7);
        Assert.Equal(7, aliceBack.BlockNumber);
        Assert.Equal(alice.States, aliceBack.States);
        Assert.Equal(7, bobBack.BlockNumber);
        Assert.True(bob.Bases.ContentEquals(bobBack.Bases));
        Assert.Equal(bob.PulseIndices, bobBack.PulseIndices);
        Assert.Equal(bob.DetectorCodes, bobBack.DetectorCodes);
        // 2 bits per pulse on Alice's side; basis bit + 9 bytes per record on Bob's.
        Assert.Equal(24 + (10_003 * 2 + 7) / 8 + 4, new FileInfo(raw.AlicePath(7)).Length);
        Assert.Equal(32 + (10_003 + 7) / 8 + 9L * bob.PulseIndices.Length + 4, new FileInfo(raw.BobPath(7)).Length);
        Assert.DoesNotContain("seed", File.ReadAllText(Path.Combine(_dir, "session.json")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_block_file_is_never_overwritten()
    {
        var raw = RawDataDirectory.Create(_dir, new RawSession());
        var (alice, _) = TwoPartyTestData.Block(1, 100, 0.3, 0.05, 2);
        raw.WriteAlice(alice);
        Assert.Throws<IOException>(() => raw.WriteAlice(alice));
    }

    [Theory]
    [InlineData("alice", 10)]
    [InlineData("alice", 1000)]
    [InlineData("bob", 20)]
    [InlineData("bob", 2000)]
    public void A_truncated_file_names_the_file_and_offset(string role, int keepBytes)
    {
        var raw = RawDataDirectory.Create(_dir, new RawSession());
        var (alice, bob) = TwoPartyTestData.Block(3, 5_000, 0.3, 0.05, 3);
        raw.WriteAlice(alice);
        raw.WriteBob(bob);
        string path = role == "alice" ? raw.AlicePath(3) : raw.BobPath(3);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, keepBytes).ToArray());
        var error = Assert.Throws<RawDataException>(() => { if (role == "alice") raw.ReadAlice(3); else raw.ReadBob(3); });
        Assert.Equal(path, error.Path);
        Assert.Equal(keepBytes, error.Offset);
        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_flipped_bit_fails_the_checksum_and_a_wrong_magic_is_named()
    {
        var raw = RawDataDirectory.Create(_dir, new RawSession());
        var (_, bob) = TwoPartyTestData.Block(4, 5_000, 0.3, 0.05, 4);
        raw.WriteBob(bob);
        string path = raw.BobPath(4);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[100] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("CRC-32 mismatch", Assert.Throws<RawDataException>(() => raw.ReadBob(4)).Message);

        bytes[100] ^= 0x10;
        bytes[3] = (byte)'A';
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<RawDataException>(() => raw.ReadBob(4));
        Assert.Equal(0, error.Offset);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void A_missing_session_file_is_a_clear_error()
    {
        Directory.CreateDirectory(_dir);
        Assert.Contains("session.json", Assert.Throws<RawDataException>(() => RawDataDirectory.Open(_dir)).Message);
    }
}
