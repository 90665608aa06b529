using System.Text;
using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>Message types of the two-party post-processing protocol (first byte of every message).</summary>
    internal enum MessageType : byte
    {
        Hello = 1,
        Sift = 2,
        SiftReply = 3,
        SampleBits = 4,
        Confirm = 5,
        ConfirmResult = 6,
        ToeplitzSeed = 7,
        BlockDone = 8,
        Abort = 0xFF,
    }

    /// <summary>Builds one message: type byte, then little-endian fields in protocol order.</summary>
    internal sealed class MessageWriter
    {
        private readonly MemoryStream _stream = new();
        private readonly BinaryWriter _writer;

        public MessageWriter(MessageType type)
        {
            _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);
            _writer.Write((byte)type);
        }

        public MessageWriter Int32(int value) { _writer.Write(value); return this; }
        public MessageWriter Int64(long value) { _writer.Write(value); return this; }
        public MessageWriter UInt64(ulong value) { _writer.Write(value); return this; }
        public MessageWriter Double(double value) { _writer.Write(value); return this; }
        public MessageWriter Text(string value) { _writer.Write(value); return this; }
        public MessageWriter Bool(bool value) { _writer.Write(value); return this; }

        public MessageWriter Bits(BitVector bits)
        {
            _writer.Write(bits.Length);
            _writer.Write(bits.ToPackedBytes());
            return this;
        }

        public MessageWriter Int32Array(ReadOnlySpan<int> values)
        {
            _writer.Write(values.Length);
            foreach (int v in values) _writer.Write(v);
            return this;
        }

        public byte[] ToArray()
        {
            _writer.Flush();
            return _stream.ToArray();
        }
    }

    /// <summary>
    /// Reads one message of an expected type. An Abort from the peer, a message of another type or a
    /// short message throw <see cref="TwoPartyAbortException"/> naming what was expected.
    /// </summary>
    internal sealed class MessageReader
    {
        private readonly BinaryReader _reader;
        private readonly MessageType _type;

        public MessageReader(byte[] message, MessageType expected)
        {
            if (message.Length == 0) throw new TwoPartyAbortException($"protocol error: empty message where {expected} was expected");
            var type = (MessageType)message[0];
            _reader = new BinaryReader(new MemoryStream(message, 1, message.Length - 1, writable: false), Encoding.UTF8);
            if (type == MessageType.Abort)
                throw new TwoPartyAbortException($"the peer aborted: {Guard(() => _reader.ReadString())}", fromPeer: true);
            if (type != expected) throw new TwoPartyAbortException($"protocol error: {Name(message[0])} message where {expected} was expected");
            _type = expected;
        }

        public int Int32() => Guard(_reader.ReadInt32);
        public long Int64() => Guard(_reader.ReadInt64);
        public ulong UInt64() => Guard(_reader.ReadUInt64);
        public double Double() => Guard(_reader.ReadDouble);
        public string Text() => Guard(_reader.ReadString);
        public bool Bool() => Guard(_reader.ReadBoolean);

        public BitVector Bits(int expectedLength)
        {
            int length = Int32();
            if (length != expectedLength)
                throw new TwoPartyAbortException($"protocol error: {_type} message carries {length} bits where {expectedLength} were expected");
            byte[] bytes = Guard(() => _reader.ReadBytes((int)(((long)length + 7) >> 3)));
            if (bytes.Length * 8L < length) throw Truncated();
            return BitVector.FromPackedBytes(bytes, length);
        }

        public int[] Int32Array(int maxCount)
        {
            int count = Int32();
            if (count < 0 || count > maxCount || count > (_reader.BaseStream.Length - _reader.BaseStream.Position) / 4)
                throw new TwoPartyAbortException($"protocol error: {_type} message announces {count} entries (at most {maxCount} possible)");
            var values = new int[count];
            for (int i = 0; i < count; i++) values[i] = Int32();
            return values;
        }

        private T Guard<T>(Func<T> read)
        {
            try { return read(); }
            catch (EndOfStreamException) { throw Truncated(); }
        }

        private TwoPartyAbortException Truncated() => new($"protocol error: {_type} message is truncated");

        private static string Name(byte type) => Enum.IsDefined((MessageType)type) ? ((MessageType)type).ToString() : $"unknown type {type}";
    }

    /// <summary>
    /// Two-party post-processing stopped: a check failed (QBER above threshold, no key, settings differ,
    /// protocol error) here or at the peer. Nothing of the block is stored. Messages never hold secrets.
    /// </summary>
    public sealed class TwoPartyAbortException : Exception
    {
        public TwoPartyAbortException(string message, bool fromPeer = false) : base(message) => FromPeer = fromPeer;

        /// <summary>True when the peer sent the abort (so it need not be told).</summary>
        public bool FromPeer { get; }

        /// <summary>For a block refused on shared figures (QBER too high, no key): what was measured, for the session's journal.</summary>
        public RefusedBlockFigures? Figures { get; init; }
    }

    /// <summary>The public figures of a refused block (no secrets).</summary>
    public sealed record RefusedBlockFigures(int SiftedBits, int SampleBits, double Qber, int ReconciledBits);
}
