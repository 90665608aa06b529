#nullable disable
namespace Qkd.Wire
{
    /// <summary>
    /// Base of all messages. A message's payload is ONE MessagePack array of its fields in wire
    /// order. Readers require at least the known fields and skip extra trailing ones, so a newer
    /// peer may append fields without breaking an older one.
    /// </summary>
    public abstract class WireMessage
    {
        public abstract byte Type { get; }

        public abstract void Write(MsgPackWriter writer);

        /// <summary>Reads the array header; returns how many fields beyond the known ones follow.</summary>
        protected static int ReadFieldCount(MsgPackReader reader, int knownFields)
        {
            int count = reader.ReadArrayHeader();
            if (count < knownFields)
            {
                throw new WireFormatException("message has too few fields");
            }
            return count - knownFields;
        }

        /// <summary>An array of u16 (MessagePack array of ints); null is written as nil.</summary>
        protected static void WriteUInt16Array(MsgPackWriter writer, ushort[] values)
        {
            if (values == null)
            {
                writer.WriteNil();
                return;
            }
            writer.WriteArrayHeader(values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                writer.WriteUInt(values[i]);
            }
        }

        protected static ushort[] ReadUInt16Array(MsgPackReader reader)
        {
            if (reader.TryReadNil())
            {
                return null;
            }
            int count = reader.ReadArrayHeader();
            RequireRemaining(reader, count);
            ushort[] values = new ushort[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = reader.ReadUInt16();
            }
            return values;
        }

        /// <summary>
        /// Each element takes at least one byte, so a count larger than the bytes left is malformed:
        /// checked before allocating, so a hostile header cannot make us allocate gigabytes.
        /// </summary>
        protected static void RequireRemaining(MsgPackReader reader, int elementCount)
        {
            if (elementCount > reader.Remaining)
            {
                throw new WireFormatException("array count exceeds the payload");
            }
        }

        protected static void SkipFields(MsgPackReader reader, int extraFields)
        {
            for (int i = 0; i < extraFields; i++)
            {
                reader.SkipValue();
            }
        }
    }
}
