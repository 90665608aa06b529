#nullable disable
using System;
using System.Text;

namespace Qkd.Wire
{
    /// <summary>
    /// Reads the MessagePack subset from a caller-owned buffer. Integers are accepted in any width
    /// that holds the value; anything outside the subset, out of range or past the end throws
    /// WireFormatException. Only ReadBin and ReadString allocate.
    /// </summary>
    public sealed class MsgPackReader
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding();
        private byte[] _buffer;
        private int _position;
        private int _end;

        public MsgPackReader(byte[] buffer, int offset, int count)
        {
            Reset(buffer, offset, count);
        }

        /// <summary>Absolute index into the buffer of the next byte to read.</summary>
        public int Position
        {
            get { return _position; }
        }

        /// <summary>Bytes left to read.</summary>
        public int Remaining
        {
            get { return _end - _position; }
        }

        /// <summary>Points the reader at new bytes, so one reader can serve every frame.</summary>
        public void Reset(byte[] buffer, int offset, int count)
        {
            // count > Length - offset, not offset + count > Length: the sum can overflow and pass.
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
            {
                throw new ArgumentException("reader range is outside the buffer");
            }
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
        }

        public int ReadArrayHeader()
        {
            byte code = Take();
            if (code >= MsgPackCode.MinFixArray && code <= MsgPackCode.MaxFixArray)
            {
                return code & 0x0F;
            }
            if (code == MsgPackCode.Array16)
            {
                return (int)TakeBigEndian(2);
            }
            if (code == MsgPackCode.Array32)
            {
                return ToCount(TakeBigEndian(4));
            }
            throw Unexpected("array");
        }

        /// <summary>Consumes a nil and returns true, or leaves the reader unchanged and returns false.</summary>
        public bool TryReadNil()
        {
            if (Peek() != MsgPackCode.Nil)
            {
                return false;
            }
            _position++;
            return true;
        }

        public bool ReadBool()
        {
            byte code = Take();
            if (code == MsgPackCode.True)
            {
                return true;
            }
            if (code == MsgPackCode.False)
            {
                return false;
            }
            throw Unexpected("bool");
        }

        public long ReadInt()
        {
            byte code = Take();
            if (code <= MsgPackCode.MaxPositiveFixInt)
            {
                return code;
            }
            if (code >= MsgPackCode.MinNegativeFixInt)
            {
                return (sbyte)code;
            }
            switch (code)
            {
                case MsgPackCode.UInt8: return (long)TakeBigEndian(1);
                case MsgPackCode.UInt16: return (long)TakeBigEndian(2);
                case MsgPackCode.UInt32: return (long)TakeBigEndian(4);
                case MsgPackCode.UInt64:
                    ulong big = TakeBigEndian(8);
                    if (big > long.MaxValue)
                    {
                        throw new WireFormatException("integer out of range");
                    }
                    return (long)big;
                case MsgPackCode.Int8: return (sbyte)TakeBigEndian(1);
                case MsgPackCode.Int16: return (short)TakeBigEndian(2);
                case MsgPackCode.Int32: return (int)TakeBigEndian(4);
                case MsgPackCode.Int64: return (long)TakeBigEndian(8);
                default: throw Unexpected("integer");
            }
        }

        public ulong ReadUInt()
        {
            byte code = Peek();
            if (code == MsgPackCode.UInt64)
            {
                _position++;
                return TakeBigEndian(8);
            }
            long value = ReadInt();
            if (value < 0)
            {
                throw new WireFormatException("integer out of range");
            }
            return (ulong)value;
        }

        public uint ReadUInt32()
        {
            ulong value = ReadUInt();
            if (value > uint.MaxValue)
            {
                throw new WireFormatException("integer out of range");
            }
            return (uint)value;
        }

        public ushort ReadUInt16()
        {
            ulong value = ReadUInt();
            if (value > ushort.MaxValue)
            {
                throw new WireFormatException("integer out of range");
            }
            return (ushort)value;
        }

        public byte ReadByte()
        {
            ulong value = ReadUInt();
            if (value > byte.MaxValue)
            {
                throw new WireFormatException("integer out of range");
            }
            return (byte)value;
        }

        public int ReadInt32()
        {
            long value = ReadInt();
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw new WireFormatException("integer out of range");
            }
            return (int)value;
        }

        /// <summary>Reads bin 8/16/32 into a new array; nil reads as null.</summary>
        public byte[] ReadBin()
        {
            if (TryReadNil())
            {
                return null;
            }
            int count = ReadBinHeader();
            byte[] data = new byte[count];
            Array.Copy(_buffer, _position, data, 0, count);
            _position += count;
            return data;
        }

        /// <summary>
        /// Reads a bin header and returns its length; the bytes start at Position. The caller
        /// consumes them with Skip(count): the no-allocation path for large tables.
        /// </summary>
        public int ReadBinHeader()
        {
            byte code = Take();
            int count;
            if (code == MsgPackCode.Bin8)
            {
                count = (int)TakeBigEndian(1);
            }
            else if (code == MsgPackCode.Bin16)
            {
                count = (int)TakeBigEndian(2);
            }
            else if (code == MsgPackCode.Bin32)
            {
                count = ToCount(TakeBigEndian(4));
            }
            else
            {
                throw Unexpected("bin");
            }
            Require(count);
            return count;
        }

        /// <summary>Reads fixstr / str8 / str16 / str32 as UTF-8; nil reads as null.</summary>
        public string ReadString()
        {
            if (TryReadNil())
            {
                return null;
            }
            byte code = Take();
            int count;
            if (code >= MsgPackCode.MinFixStr && code <= MsgPackCode.MaxFixStr)
            {
                count = code & 0x1F;
            }
            else if (code == MsgPackCode.Str8)
            {
                count = (int)TakeBigEndian(1);
            }
            else if (code == MsgPackCode.Str16)
            {
                count = (int)TakeBigEndian(2);
            }
            else if (code == MsgPackCode.Str32)
            {
                count = ToCount(TakeBigEndian(4));
            }
            else
            {
                throw Unexpected("string");
            }
            Require(count);
            string value = count == 0 ? string.Empty : new string(Utf8.GetChars(_buffer, _position, count));
            _position += count;
            return value;
        }

        /// <summary>Advances past count raw bytes (after ReadBinHeader).</summary>
        public void Skip(int count)
        {
            Require(count);
            _position += count;
        }

        /// <summary>
        /// Skips one complete value, nested arrays included. Iterative, so hostile nesting cannot
        /// exhaust the stack; every skipped value consumes at least one byte, so it always ends.
        /// </summary>
        public void SkipValue()
        {
            long pending = 1;
            while (pending > 0)
            {
                pending--;
                byte code = Peek();
                if ((code >= MsgPackCode.MinFixArray && code <= MsgPackCode.MaxFixArray)
                    || code == MsgPackCode.Array16 || code == MsgPackCode.Array32)
                {
                    pending += ReadArrayHeader();
                }
                else if (code == MsgPackCode.Nil || code == MsgPackCode.True || code == MsgPackCode.False)
                {
                    _position++;
                }
                else if (code == MsgPackCode.Bin8 || code == MsgPackCode.Bin16 || code == MsgPackCode.Bin32)
                {
                    Skip(ReadBinHeader());
                }
                else if ((code >= MsgPackCode.MinFixStr && code <= MsgPackCode.MaxFixStr)
                         || code == MsgPackCode.Str8 || code == MsgPackCode.Str16 || code == MsgPackCode.Str32)
                {
                    SkipString();
                }
                else
                {
                    ReadInt64OrUInt64();
                }
            }
        }

        private void SkipString()
        {
            byte code = Take();
            int count;
            if (code >= MsgPackCode.MinFixStr && code <= MsgPackCode.MaxFixStr)
            {
                count = code & 0x1F;
            }
            else if (code == MsgPackCode.Str8)
            {
                count = (int)TakeBigEndian(1);
            }
            else if (code == MsgPackCode.Str16)
            {
                count = (int)TakeBigEndian(2);
            }
            else
            {
                count = ToCount(TakeBigEndian(4));
            }
            Skip(count);
        }

        private void ReadInt64OrUInt64()
        {
            if (Peek() == MsgPackCode.UInt64)
            {
                _position++;
                TakeBigEndian(8);
                return;
            }
            ReadInt();
        }

        private byte Peek()
        {
            Require(1);
            return _buffer[_position];
        }

        private byte Take()
        {
            Require(1);
            return _buffer[_position++];
        }

        private ulong TakeBigEndian(int byteCount)
        {
            Require(byteCount);
            ulong value = 0;
            for (int i = 0; i < byteCount; i++)
            {
                value = (value << 8) | _buffer[_position++];
            }
            return value;
        }

        private void Require(int byteCount)
        {
            if (byteCount < 0 || byteCount > _end - _position)
            {
                throw new WireFormatException("MessagePack data ends early");
            }
        }

        private static int ToCount(ulong value)
        {
            if (value > int.MaxValue)
            {
                throw new WireFormatException("MessagePack length out of range");
            }
            return (int)value;
        }

        private WireFormatException Unexpected(string expected)
        {
            return new WireFormatException("expected MessagePack " + expected);
        }
    }
}
