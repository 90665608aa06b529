#nullable disable
using System.Text;

namespace Qkd.Wire
{
    /// <summary>
    /// Writes the MessagePack subset into a caller-owned buffer without allocating (strings aside).
    /// Every integer takes its smallest encoding, exactly as MessagePack-CSharp's MessagePackWriter:
    /// non-negative values use positive fixint or uint8..64, negative ones negative fixint or int8..64.
    /// Running past the buffer end throws WireFormatException.
    /// </summary>
    public sealed class MsgPackWriter
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding();
        private readonly byte[] _buffer;
        private int _position;

        public MsgPackWriter(byte[] buffer, int offset)
        {
            _buffer = buffer;
            _position = offset;
        }

        /// <summary>Absolute index into the buffer of the next byte to write.</summary>
        public int Position
        {
            get { return _position; }
        }

        public byte[] Buffer
        {
            get { return _buffer; }
        }

        public void Reset(int offset)
        {
            _position = offset;
        }

        public void WriteArrayHeader(int count)
        {
            if (count <= MsgPackCode.MaxFixArrayCount)
            {
                Ensure(1);
                _buffer[_position++] = (byte)(MsgPackCode.MinFixArray | count);
            }
            else if (count <= 0xFFFF)
            {
                Ensure(3);
                _buffer[_position++] = MsgPackCode.Array16;
                PutBigEndian((ulong)count, 2);
            }
            else
            {
                Ensure(5);
                _buffer[_position++] = MsgPackCode.Array32;
                PutBigEndian((ulong)count, 4);
            }
        }

        public void WriteNil()
        {
            Ensure(1);
            _buffer[_position++] = MsgPackCode.Nil;
        }

        public void WriteBool(bool value)
        {
            Ensure(1);
            _buffer[_position++] = value ? MsgPackCode.True : MsgPackCode.False;
        }

        public void WriteInt(long value)
        {
            if (value >= 0)
            {
                WriteUInt((ulong)value);
            }
            else if (value >= MsgPackCode.MinNegativeFixIntValue)
            {
                Ensure(1);
                _buffer[_position++] = (byte)value;
            }
            else if (value >= -128)
            {
                WriteWithCode(MsgPackCode.Int8, (ulong)value, 1);
            }
            else if (value >= -32768)
            {
                WriteWithCode(MsgPackCode.Int16, (ulong)value, 2);
            }
            else if (value >= -2147483648L)
            {
                WriteWithCode(MsgPackCode.Int32, (ulong)value, 4);
            }
            else
            {
                WriteWithCode(MsgPackCode.Int64, (ulong)value, 8);
            }
        }

        public void WriteUInt(ulong value)
        {
            if (value <= MsgPackCode.MaxPositiveFixInt)
            {
                Ensure(1);
                _buffer[_position++] = (byte)value;
            }
            else if (value <= 0xFF)
            {
                WriteWithCode(MsgPackCode.UInt8, value, 1);
            }
            else if (value <= 0xFFFF)
            {
                WriteWithCode(MsgPackCode.UInt16, value, 2);
            }
            else if (value <= 0xFFFFFFFF)
            {
                WriteWithCode(MsgPackCode.UInt32, value, 4);
            }
            else
            {
                WriteWithCode(MsgPackCode.UInt64, value, 8);
            }
        }

        /// <summary>Writes bin 8/16/32; a null array is written as nil, as MessagePack-CSharp does.</summary>
        public void WriteBin(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                WriteNil();
                return;
            }
            // Checked before writing anything, and as a difference so offset + count cannot overflow.
            if (offset < 0 || count < 0 || offset > data.Length || count > data.Length - offset)
            {
                throw new System.ArgumentException("bin range is outside the source array");
            }
            if (count <= 0xFF)
            {
                Ensure(2 + count);
                _buffer[_position++] = MsgPackCode.Bin8;
                _buffer[_position++] = (byte)count;
            }
            else if (count <= 0xFFFF)
            {
                Ensure(3 + count);
                _buffer[_position++] = MsgPackCode.Bin16;
                PutBigEndian((ulong)count, 2);
            }
            else
            {
                Ensure(5 + count);
                _buffer[_position++] = MsgPackCode.Bin32;
                PutBigEndian((ulong)count, 4);
            }
            System.Array.Copy(data, offset, _buffer, _position, count);
            _position += count;
        }

        /// <summary>Writes a whole array as bin; null is written as nil.</summary>
        public void WriteBin(byte[] data)
        {
            WriteBin(data, 0, data == null ? 0 : data.Length);
        }

        /// <summary>Writes UTF-8 as fixstr / str8 / str16 / str32; null is written as nil.</summary>
        public void WriteString(string value)
        {
            if (value == null)
            {
                WriteNil();
                return;
            }
            byte[] bytes = Utf8.GetBytes(value);
            int count = bytes.Length;
            if (count <= MsgPackCode.MaxFixStrBytes)
            {
                Ensure(1 + count);
                _buffer[_position++] = (byte)(MsgPackCode.MinFixStr | count);
            }
            else if (count <= 0xFF)
            {
                Ensure(2 + count);
                _buffer[_position++] = MsgPackCode.Str8;
                _buffer[_position++] = (byte)count;
            }
            else if (count <= 0xFFFF)
            {
                Ensure(3 + count);
                _buffer[_position++] = MsgPackCode.Str16;
                PutBigEndian((ulong)count, 2);
            }
            else
            {
                Ensure(5 + count);
                _buffer[_position++] = MsgPackCode.Str32;
                PutBigEndian((ulong)count, 4);
            }
            System.Array.Copy(bytes, 0, _buffer, _position, count);
            _position += count;
        }

        private void WriteWithCode(byte code, ulong value, int byteCount)
        {
            Ensure(1 + byteCount);
            _buffer[_position++] = code;
            PutBigEndian(value, byteCount);
        }

        private void PutBigEndian(ulong value, int byteCount)
        {
            for (int i = byteCount - 1; i >= 0; i--)
            {
                _buffer[_position + i] = (byte)value;
                value >>= 8;
            }
            _position += byteCount;
        }

        private void Ensure(int byteCount)
        {
            // Compared as a difference: _position + byteCount can overflow int for a huge bin or string.
            if (byteCount < 0 || byteCount > _buffer.Length - _position)
            {
                throw new WireFormatException("MessagePack output does not fit its buffer");
            }
        }
    }
}
