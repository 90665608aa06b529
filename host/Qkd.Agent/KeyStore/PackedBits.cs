namespace Qkd.Agent.Keys;

/// <summary>Bit-range copy and clear on LSB-first packed bytes, eight bits per step.</summary>
internal static class PackedBits
{
    public static int ByteCount(long bits) => checked((int)((bits + 7) >> 3));

    /// <summary>Copies <paramref name="count"/> bits from source bit <paramref name="from"/> to destination bit <paramref name="to"/>.</summary>
    public static void Copy(ReadOnlySpan<byte> source, long from, Span<byte> destination, long to, long count)
    {
        while (count > 0)
        {
            int step = (int)Math.Min(8, count);
            int chunk = Read8(source, from) & ((1 << step) - 1);
            Write(destination, to, chunk, step);
            from += step;
            to += step;
            count -= step;
        }
    }

    /// <summary>Sets bits [from, from + count) to zero.</summary>
    public static void Clear(Span<byte> bits, long from, long count)
    {
        while (count > 0 && (from & 7) != 0)
        {
            bits[(int)(from >> 3)] &= (byte)~(1 << (int)(from & 7));
            from++;
            count--;
        }
        int whole = (int)(count >> 3);
        bits.Slice((int)(from >> 3), whole).Clear();
        from += (long)whole << 3;
        count -= (long)whole << 3;
        while (count > 0)
        {
            bits[(int)(from >> 3)] &= (byte)~(1 << (int)(from & 7));
            from++;
            count--;
        }
    }

    /// <summary>Zeroes the bits past <paramref name="bitLength"/> in the last byte.</summary>
    public static void ClearTail(Span<byte> bits, long bitLength)
    {
        int used = (int)(bitLength & 7);
        if (used != 0) bits[(int)(bitLength >> 3)] &= (byte)((1 << used) - 1);
    }

    private static int Read8(ReadOnlySpan<byte> source, long bit)
    {
        int index = (int)(bit >> 3);
        int shift = (int)(bit & 7);
        int window = source[index] | (index + 1 < source.Length ? source[index + 1] << 8 : 0);
        return (window >> shift) & 0xFF;
    }

    private static void Write(Span<byte> destination, long bit, int value, int count)
    {
        int index = (int)(bit >> 3);
        int shift = (int)(bit & 7);
        int mask = ((1 << count) - 1) << shift;
        int shifted = value << shift;
        destination[index] = (byte)((destination[index] & ~mask) | (shifted & mask));
        if (shift + count > 8)
        {
            destination[index + 1] = (byte)((destination[index + 1] & ~(mask >> 8)) | ((shifted >> 8) & (mask >> 8)));
        }
    }
}
