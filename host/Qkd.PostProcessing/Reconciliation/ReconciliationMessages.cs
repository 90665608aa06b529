using System.Buffers.Binary;
using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// Binary layout of the reconciliation messages (version 2, all integers little-endian, bit arrays packed
/// LSB-first in u64 words). Every message starts with u8 version = 2 and u8 type:
/// <list type="table">
/// <item>1 Syndromes, Bob to Alice: i32 code family (0 = the n = 10^4 alist family or a fixed code, 1 = the long
/// quasi-cyclic family; a block of the mixed adaptive scheme sends one syndromes message per family, long
/// frames first), i32 code index within the family, i32 frame bits, i32 frames, i32 punctured, i32 reveal step,
/// i32 blind rounds, i32 syndrome bits, f64 QBER, then per frame ceil(syndrome bits / 64) words.</item>
/// <item>2 Status, Alice to Bob: i32 round (0 = first attempt), i32 frames, ceil(frames / 64) words: decoded frames.</item>
/// <item>3 Reveal, Bob to Alice: i32 round, i32 bits per frame, i32 pending frames, then per pending frame
/// (ascending index, the frames not yet decoded) ceil(bits / 64) words: the values of this round's columns.</item>
/// <item>4 Confirm, Bob to Alice: u64 hash key, i32 tag count, u64 tags of Bob's decoded frames (ascending).</item>
/// <item>5 Verdict, Alice to Bob: i32 frames, i64 decoder iterations (sum), ceil(frames / 64) words: confirmed frames.</item>
/// </list>
/// Anything else (wrong version, type, length or value range) throws <see cref="InvalidDataException"/>.
/// Version 1 had no family field.
/// </summary>
internal static class ReconciliationMessages
{
    public const byte Version = 2;

    /// <summary>
    /// Code family ids of the syndromes message. The long family planned for the precise (sum-product) decoder has an id
    /// of its own: its start points and steps are set for that decoder, so an Alice set up otherwise refuses the block.
    /// </summary>
    public const int ShortFamily = 0, LongFamily = 1, LongPreciseFamily = 2;

    /// <summary>A family id as the error messages name it.</summary>
    public static string FamilyName(int family) => family switch
    {
        ShortFamily => "short (n = 10^4)",
        LongFamily => "long, min-sum decoder",
        LongPreciseFamily => "long, sum-product decoder (QBER <= 2.5 %)",
        _ => $"unknown ({family})",
    };
    public const byte SyndromesType = 1;
    public const byte StatusType = 2;
    public const byte RevealType = 3;
    public const byte ConfirmType = 4;
    public const byte VerdictType = 5;

    /// <summary>Sanity limit: a block of at most 2^31 bits never needs more frames than this.</summary>
    private const int MaxFrames = 1 << 24;

    public sealed class Syndromes
    {
        public int Family, CodeIndex, FrameBits, Frames, Punctured, RevealStep, Rounds, SyndromeBits;
        public double Qber;
        public ulong[] Words = [];

        public ReadOnlySpan<ulong> Of(int frame) => Words.AsSpan(frame * BitVector.WordCount(SyndromeBits), BitVector.WordCount(SyndromeBits));
    }

    public static byte[] WriteSyndromes(Syndromes m)
    {
        var w = new Writer(SyndromesType, 8 * 4 + 8 + 8 * m.Words.Length);
        w.Int(m.Family); w.Int(m.CodeIndex); w.Int(m.FrameBits); w.Int(m.Frames); w.Int(m.Punctured); w.Int(m.RevealStep); w.Int(m.Rounds);
        w.Int(m.SyndromeBits); w.Double(m.Qber); w.Words(m.Words);
        return w.Done();
    }

    public static Syndromes ReadSyndromes(byte[] message)
    {
        var r = new Reader(message, SyndromesType, "syndromes");
        var m = new Syndromes
        {
            Family = r.Int("code family", ShortFamily, LongPreciseFamily), CodeIndex = r.Int("code index", 0, 255), FrameBits = r.Int("frame bits", 1, int.MaxValue), Frames = r.Int("frames", 0, MaxFrames),
            Punctured = r.Int("punctured", 0, int.MaxValue), RevealStep = r.Int("reveal step", 1, int.MaxValue), Rounds = r.Int("rounds", 0, 10_000),
            SyndromeBits = r.Int("syndrome bits", 1, int.MaxValue), Qber = r.Double("qber"),
        };
        if (!(m.Qber > 0 && m.Qber < 0.5)) throw new InvalidDataException($"syndromes message: QBER {m.Qber} outside (0, 0.5)");
        m.Words = r.Words((long)m.Frames * BitVector.WordCount(m.SyndromeBits), "syndromes");
        r.End();
        return m;
    }

    public static byte[] WriteStatus(int round, bool[] decoded)
    {
        var bitmap = Pack(decoded);
        var w = new Writer(StatusType, 8 + 8 * bitmap.Length);
        w.Int(round); w.Int(decoded.Length); w.Words(bitmap);
        return w.Done();
    }

    public static bool[] ReadStatus(byte[] message, int expectedRound, int expectedFrames)
    {
        var r = new Reader(message, StatusType, "status");
        r.Int("round", expectedRound, expectedRound);
        r.Int("frames", expectedFrames, expectedFrames);
        var bits = Unpack(r.Words(BitVector.WordCount(expectedFrames), "status bitmap"), expectedFrames);
        r.End();
        return bits;
    }

    public static byte[] WriteReveal(int round, int bitsPerFrame, int pending, ulong[] values)
    {
        var w = new Writer(RevealType, 12 + 8 * values.Length);
        w.Int(round); w.Int(bitsPerFrame); w.Int(pending); w.Words(values);
        return w.Done();
    }

    public static ulong[] ReadReveal(byte[] message, int expectedRound, int expectedBits, int expectedPending)
    {
        var r = new Reader(message, RevealType, "reveal");
        r.Int("round", expectedRound, expectedRound);
        r.Int("bits per frame", expectedBits, expectedBits);
        r.Int("pending frames", expectedPending, expectedPending);
        var values = r.Words((long)expectedPending * BitVector.WordCount(expectedBits), "revealed bits");
        r.End();
        return values;
    }

    public static byte[] WriteConfirm(ulong key, ulong[] tags)
    {
        var w = new Writer(ConfirmType, 12 + 8 * tags.Length);
        w.Word(key); w.Int(tags.Length); w.Words(tags);
        return w.Done();
    }

    public static (ulong Key, ulong[] Tags) ReadConfirm(byte[] message, int expectedTags)
    {
        var r = new Reader(message, ConfirmType, "confirm");
        var key = r.Word();
        r.Int("tag count", expectedTags, expectedTags);
        var tags = r.Words(expectedTags, "tags");
        r.End();
        return (key, tags);
    }

    public static byte[] WriteVerdict(bool[] confirmed, long iterations)
    {
        var bitmap = Pack(confirmed);
        var w = new Writer(VerdictType, 12 + 8 * bitmap.Length);
        w.Int(confirmed.Length); w.Long(iterations); w.Words(bitmap);
        return w.Done();
    }

    public static (bool[] Confirmed, long Iterations) ReadVerdict(byte[] message, int expectedFrames)
    {
        var r = new Reader(message, VerdictType, "verdict");
        r.Int("frames", expectedFrames, expectedFrames);
        var iterations = r.Long("iterations");
        var bits = Unpack(r.Words(BitVector.WordCount(expectedFrames), "verdict bitmap"), expectedFrames);
        r.End();
        return (bits, iterations);
    }

    /// <summary>Message type byte (after checking the version), to tell Reveal from Confirm.</summary>
    public static byte TypeOf(byte[] message)
    {
        if (message.Length < 2) throw new InvalidDataException($"reconciliation message of {message.Length} bytes is too short");
        if (message[0] != Version) throw new InvalidDataException($"reconciliation message version {message[0]}, expected {Version}");
        return message[1];
    }

    private static ulong[] Pack(bool[] flags)
    {
        var words = new ulong[BitVector.WordCount(flags.Length)];
        for (var i = 0; i < flags.Length; i++) if (flags[i]) words[i >> 6] |= 1UL << (i & 63);
        return words;
    }

    private static bool[] Unpack(ulong[] words, int count)
    {
        var flags = new bool[count];
        for (var i = 0; i < count; i++) flags[i] = ((words[i >> 6] >> (i & 63)) & 1) != 0;
        if ((count & 63) != 0 && words.Length > 0 && (words[^1] >> (count & 63)) != 0)
            throw new InvalidDataException("bitmap has bits set past the last frame");
        return flags;
    }

    private sealed class Writer
    {
        private readonly byte[] _buffer;
        private int _at;

        public Writer(byte type, int payloadBytes)
        {
            _buffer = new byte[2 + payloadBytes];
            _buffer[0] = Version;
            _buffer[1] = type;
            _at = 2;
        }

        public void Int(int value) { BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_at), value); _at += 4; }
        public void Long(long value) { BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_at), value); _at += 8; }
        public void Double(double value) { BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_at), value); _at += 8; }
        public void Word(ulong value) { BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_at), value); _at += 8; }

        public void Words(ReadOnlySpan<ulong> values)
        {
            // Little-endian words are the wire layout already: one block copy (a block's syndromes are ~44 kB).
            if (BitConverter.IsLittleEndian)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(_buffer.AsSpan(_at));
                _at += 8 * values.Length;
                return;
            }
            foreach (var v in values) Word(v);
        }

        public byte[] Done() => _at == _buffer.Length ? _buffer : throw new InvalidOperationException("message size mismatch");
    }

    private ref struct Reader
    {
        private readonly byte[] _buffer;
        private readonly string _name;
        private int _at;

        public Reader(byte[] message, byte type, string name)
        {
            ArgumentNullException.ThrowIfNull(message);
            _buffer = message;
            _name = name;
            var actual = TypeOf(message);
            if (actual != type) throw new InvalidDataException($"expected a {name} message (type {type}), got type {actual}");
            _at = 2;
        }

        private ReadOnlySpan<byte> Take(int bytes, string what)
        {
            if (_buffer.Length - _at < bytes)
                throw new InvalidDataException($"{_name} message truncated at {what} ({_buffer.Length} bytes)");
            var span = _buffer.AsSpan(_at, bytes);
            _at += bytes;
            return span;
        }

        public int Int(string what, int min, int max)
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
            if (value < min || value > max) throw new InvalidDataException($"{_name} message: {what} = {value}, expected {min}..{max}");
            return value;
        }

        public long Long(string what)
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));
            if (value < 0) throw new InvalidDataException($"{_name} message: {what} = {value} is negative");
            return value;
        }

        public double Double(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

        public ulong Word() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "hash key"));

        public ulong[] Words(long count, string what)
        {
            if (count > (_buffer.Length - _at) / 8)
                throw new InvalidDataException($"{_name} message truncated: {what} needs {count} words, {(_buffer.Length - _at) / 8} present");
            var words = new ulong[count];
            if (BitConverter.IsLittleEndian)
            {
                Take(8 * (int)count, what).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
                return words;
            }
            for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));
            return words;
        }

        public readonly void End()
        {
            if (_at != _buffer.Length) throw new InvalidDataException($"{_name} message has {_buffer.Length - _at} unexpected trailing bytes");
        }
    }
}
