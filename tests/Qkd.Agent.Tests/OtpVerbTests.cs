using Qkd.Agent.Keys;
using static Qkd.Agent.Tests.KeyStoreTestData;

namespace Qkd.Agent.Tests;

public class OtpVerbTests
{
    /// <summary>Alice's and Bob's data folders holding the same key blocks, as after a session.</summary>
    private sealed class Pair : IDisposable
    {
        public TempDataDir Alice { get; } = new();
        public TempDataDir Bob { get; } = new();
        public TempDataDir Files { get; } = new();

        public Pair(params int[] blockBits)
        {
            foreach (var dir in new[] { Alice, Bob })
            {
                using var store = KeyStore.Open(dir.Path);
                for (int b = 0; b < blockBits.Length; b++) store.AddBlock(Info(b), KeyBytes(b, (blockBits[b] + 7) / 8), blockBits[b]);
            }
        }

        public string File(string name) => System.IO.Path.Combine(Files.Path, name);

        public void Dispose()
        {
            Alice.Dispose();
            Bob.Dispose();
            Files.Dispose();
        }
    }

    [Fact]
    public void Bob_decrypts_what_Alice_encrypted_with_the_same_bits()
    {
        using var pair = new Pair(1000, 4000);
        var image = new byte[300];
        new Random(3).NextBytes(image); // stands in for the paper's image
        File.WriteAllBytes(pair.File("image.png"), image);

        var enc = CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("image.png"), "--out", pair.File("image.otp"));
        Assert.Equal(0, enc.Exit);
        byte[] cipher = File.ReadAllBytes(pair.File("image.otp"));
        Assert.Equal("QKDOTP"u8.ToArray(), cipher[..6]);
        Assert.Equal(1, cipher[6]);
        Assert.NotEqual(image, cipher[^300..]);

        var dec = CliTests.Run("otp", "decrypt", "--data", pair.Bob.Path, "--in", pair.File("image.otp"), "--out", pair.File("image.out"));
        Assert.Equal(0, dec.Exit);
        Assert.Equal(image, File.ReadAllBytes(pair.File("image.out")));

        using var alice = KeyStore.Open(pair.Alice.Path);
        using var bob = KeyStore.Open(pair.Bob.Path);
        Assert.Equal(5000 - 2400, alice.AvailableBits());
        Assert.Equal(alice.AvailableBits(), bob.AvailableBits());
    }

    [Fact]
    public void Ciphertext_is_the_plaintext_xor_the_stores_next_bits()
    {
        using var pair = new Pair(64);
        File.WriteAllBytes(pair.File("p"), [0x00, 0xFF, 0x0F]);
        Assert.Equal(0, CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c")).Exit);
        var key = KeyBytes(0, 8);
        using var stream = File.OpenRead(pair.File("c"));
        var (ranges, payload) = OtpFormat.Read(stream);
        Assert.Equal([new KeyRange("s1", 0, 0, 24)], ranges);
        Assert.Equal(new[] { key[0], (byte)(key[1] ^ 0xFF), (byte)(key[2] ^ 0x0F) }, payload);
    }

    [Fact]
    public void Decrypting_twice_is_refused_because_the_bits_are_consumed()
    {
        using var pair = new Pair(1000);
        File.WriteAllBytes(pair.File("p"), new byte[10]);
        CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c"));
        Assert.Equal(0, CliTests.Run("otp", "decrypt", "--data", pair.Bob.Path, "--in", pair.File("c"), "--out", pair.File("d1")).Exit);
        var again = CliTests.Run("otp", "decrypt", "--data", pair.Bob.Path, "--in", pair.File("c"), "--out", pair.File("d2"));
        Assert.Equal(3, again.Exit);
        Assert.Contains("already consumed", again.Err);
        Assert.False(File.Exists(pair.File("d2")));
    }

    [Fact]
    public void Decrypt_with_a_store_lacking_the_block_is_refused_and_consumes_nothing()
    {
        using var pair = new Pair(100, 100);
        using (var other = new TempDataDir())
        {
            File.WriteAllBytes(pair.File("p"), new byte[20]);
            CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c"));
            using (var store = KeyStore.Open(other.Path)) store.AddBlock(Info(0), KeyBytes(0, 13), 100); // block 1 missing
            var refused = CliTests.Run("otp", "decrypt", "--data", other.Path, "--in", pair.File("c"), "--out", pair.File("d"));
            Assert.Equal(3, refused.Exit);
            Assert.Contains("no such block", refused.Err);
            using var check = KeyStore.Open(other.Path);
            Assert.Equal(100, check.AvailableBits());
        }
    }

    [Fact]
    public void Encrypt_without_enough_key_fails_and_consumes_nothing()
    {
        using var pair = new Pair(100);
        File.WriteAllBytes(pair.File("p"), new byte[13]);
        var refused = CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c"));
        Assert.Equal(3, refused.Exit);
        Assert.Contains("Not enough key", refused.Err);
        Assert.False(File.Exists(pair.File("c")));
        using var store = KeyStore.Open(pair.Alice.Path);
        Assert.Equal(100, store.AvailableBits());
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(6)] // version
    [InlineData(-1)] // truncated payload
    public void Corrupt_files_are_refused_with_exit_2_and_consume_nothing(int damageAt)
    {
        using var pair = new Pair(1000);
        File.WriteAllBytes(pair.File("p"), new byte[10]);
        CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c"));
        byte[] bytes = File.ReadAllBytes(pair.File("c"));
        if (damageAt < 0) bytes = bytes[..^1];
        else bytes[damageAt] ^= 0x5A;
        File.WriteAllBytes(pair.File("bad"), bytes);
        var refused = CliTests.Run("otp", "decrypt", "--data", pair.Bob.Path, "--in", pair.File("bad"), "--out", pair.File("d"));
        Assert.Equal(2, refused.Exit);
        Assert.Contains(pair.File("bad"), refused.Err);
        using var store = KeyStore.Open(pair.Bob.Path);
        Assert.Equal(1000, store.AvailableBits());
    }

    [Fact]
    public void Bob_follows_Alice_past_key_she_used_elsewhere()
    {
        using var pair = new Pair(200, 200);
        Assert.Equal(0, CliTests.Run("keys", "export", "--data", pair.Alice.Path, "--bits", "150", "--out", pair.File("used")).Exit);
        File.WriteAllBytes(pair.File("p"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        CliTests.Run("otp", "encrypt", "--data", pair.Alice.Path, "--in", pair.File("p"), "--out", pair.File("c"));
        var dec = CliTests.Run("otp", "decrypt", "--data", pair.Bob.Path, "--in", pair.File("c"), "--out", pair.File("d"));
        Assert.Equal(0, dec.Exit);
        Assert.Contains("Discarded 150", dec.Out);
        Assert.Equal(File.ReadAllBytes(pair.File("p")), File.ReadAllBytes(pair.File("d")));
    }
}
