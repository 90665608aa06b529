using System.Numerics;
using System.Runtime.InteropServices;

namespace Qkd.PostProcessing.Bits
{
    /// <summary>
    /// Packed bits, LSB-first: bit i lives in word i/64 at position i%64; as a byte stream,
    /// bit i = (bytes[i &gt;&gt; 3] &gt;&gt; (i &amp; 7)) &amp; 1. Bits past <see cref="Length"/> are always zero,
    /// so word-level operations (XOR, popcount, hashing) never need masking.
    /// </summary>
    public sealed class BitVector
    {
        public BitVector(int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "Bit length must be >= 0.");
            Length = length;
            Words = new ulong[WordCount(length)];
        }

        /// <summary>Takes ownership of <paramref name="words"/>; clears any bits past <paramref name="length"/>.</summary>
        public BitVector(ulong[] words, int length)
        {
            ArgumentNullException.ThrowIfNull(words);
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "Bit length must be >= 0.");
            if (words.Length < WordCount(length))
                throw new ArgumentException($"{words.Length} words cannot hold {length} bits.", nameof(words));
            Length = length;
            Words = words;
            ClearTail();
        }

        public int Length { get; }

        /// <summary>The backing words; bits past <see cref="Length"/> are always zero.</summary>
        public ulong[] Words { get; }

        public static int WordCount(int bits) => (int)(((long)bits + 63) >> 6);

        public bool this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index));
                return ((Words[index >> 6] >> (index & 63)) & 1UL) != 0;
            }
            set
            {
                if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index));
                ulong mask = 1UL << (index & 63);
                if (value) Words[index >> 6] |= mask;
                else Words[index >> 6] &= ~mask;
            }
        }

        public int PopCount()
        {
            long count = 0;
            foreach (ulong w in Words) count += BitOperations.PopCount(w);
            return (int)count;
        }

        /// <summary>this ^= other, word-wise with SIMD where available.</summary>
        public void XorWith(BitVector other)
        {
            RequireSameLength(other);
            Span<ulong> a = Words.AsSpan(0, WordCount(Length));
            ReadOnlySpan<ulong> b = other.Words.AsSpan(0, a.Length);
            int i = 0;
            if (Vector.IsHardwareAccelerated && a.Length >= Vector<ulong>.Count)
            {
                var va = MemoryMarshal.Cast<ulong, Vector<ulong>>(a);
                var vb = MemoryMarshal.Cast<ulong, Vector<ulong>>(b);
                for (int v = 0; v < va.Length; v++) va[v] ^= vb[v];
                i = va.Length * Vector<ulong>.Count;
            }
            for (; i < a.Length; i++) a[i] ^= b[i];
        }

        public int HammingDistance(BitVector other)
        {
            RequireSameLength(other);
            int n = WordCount(Length);
            long count = 0;
            ulong[] a = Words, b = other.Words;
            for (int i = 0; i < n; i++) count += BitOperations.PopCount(a[i] ^ b[i]);
            return (int)count;
        }

        public BitVector Slice(int start, int length)
        {
            CheckRange(start, length, Length, nameof(start));
            var result = new BitVector(length);
            CopyTo(start, result, 0, length);
            return result;
        }

        /// <summary>Copies <paramref name="length"/> bits, 64 at a time (unaligned reads are two shifts).</summary>
        public void CopyTo(int sourceStart, BitVector destination, int destinationStart, int length)
        {
            ArgumentNullException.ThrowIfNull(destination);
            CheckRange(sourceStart, length, Length, nameof(sourceStart));
            CheckRange(destinationStart, length, destination.Length, nameof(destinationStart));
            if (ReferenceEquals(this, destination) && sourceStart < destinationStart && destinationStart < sourceStart + length)
            {
                // Overlapping forward copy within one vector: go through a temporary.
                Slice(sourceStart, length).CopyTo(0, destination, destinationStart, length);
                return;
            }
            int done = 0;
            while (done < length)
            {
                int chunk = Math.Min(64, length - done);
                ulong bits = ReadBits(Words, Length, sourceStart + done, chunk);
                WriteBits(destination.Words, destinationStart + done, chunk, bits);
                done += chunk;
            }
        }

        /// <summary>result[i] = this[permutation[i]]; the permutation may also select (length = permutation.Length).</summary>
        public BitVector Permute(int[] permutation)
        {
            ArgumentNullException.ThrowIfNull(permutation);
            var result = new BitVector(permutation.Length);
            ulong[] src = Words, dst = result.Words;
            for (int w = 0; w < dst.Length; w++)
            {
                int baseIndex = w << 6;
                int end = Math.Min(64, permutation.Length - baseIndex);
                ulong word = 0;
                for (int k = 0; k < end; k++)
                {
                    int p = permutation[baseIndex + k];
                    if ((uint)p >= (uint)Length)
                        throw new ArgumentOutOfRangeException(nameof(permutation), $"Index {p} outside 0..{Length - 1}.");
                    word |= ((src[p >> 6] >> (p & 63)) & 1UL) << k;
                }
                dst[w] = word;
            }
            return result;
        }

        /// <summary>The bits at the positions set in <paramref name="positions"/> (a mask of this length), in order.</summary>
        public BitVector Select(BitVector positions)
        {
            RequireSameLength(positions);
            var result = new BitVector(positions.PopCount());
            PackedSelect.Extract(Words, positions.Words, invertMask: false, Length, result.Words);
            return result;
        }

        /// <summary>The bits at the positions clear in <paramref name="positions"/> (a mask of this length), in order.</summary>
        public BitVector Except(BitVector positions)
        {
            RequireSameLength(positions);
            var result = new BitVector(Length - positions.PopCount());
            PackedSelect.Extract(Words, positions.Words, invertMask: true, Length, result.Words);
            return result;
        }

        /// <summary>
        /// Writes <paramref name="values"/> (one bit per set position, in order) at the positions set in
        /// <paramref name="positions"/> (a mask of this length); the other bits keep their value. Inverse of Select.
        /// </summary>
        public void Assign(BitVector positions, BitVector values)
        {
            RequireSameLength(positions);
            ArgumentNullException.ThrowIfNull(values);
            int count = positions.PopCount();
            if (values.Length != count)
                throw new ArgumentException($"{values.Length} values for {count} positions.", nameof(values));
            int words = WordCount(Length);
            var spread = new ulong[words];
            PackedSelect.Deposit(values.Words, 0, positions.Words, spread, words);
            ulong[] m = positions.Words;
            for (int w = 0; w < words; w++) Words[w] = (Words[w] & ~m[w]) | spread[w];
        }

        public byte[] ToPackedBytes()
        {
            var bytes = new byte[(int)(((long)Length + 7) >> 3)];
            MemoryMarshal.AsBytes(Words.AsSpan()).Slice(0, bytes.Length).CopyTo(bytes);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
            return bytes;
        }

        public static BitVector FromPackedBytes(ReadOnlySpan<byte> bytes, int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "Bit length must be >= 0.");
            long needed = ((long)length + 7) >> 3;
            if (bytes.Length < needed)
                throw new ArgumentException($"{bytes.Length} bytes hold fewer than the {length} bits requested ({needed} bytes needed).", nameof(bytes));
            var result = new BitVector(length);
            bytes.Slice(0, (int)needed).CopyTo(MemoryMarshal.AsBytes(result.Words.AsSpan()));
            result.ClearTail();
            return result;
        }

        /// <summary>Reads the first <paramref name="length"/> bits of a packed file; refuses a short file.</summary>
        public static BitVector ReadFile(string path, int length)
        {
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "Bit length must be >= 0.");
            long needed = ((long)length + 7) >> 3;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length < needed)
                throw new InvalidDataException($"File '{path}' has {stream.Length} bytes but {length} bits need {needed} bytes.");
            var result = new BitVector(length);
            Span<byte> target = MemoryMarshal.AsBytes(result.Words.AsSpan()).Slice(0, (int)needed);
            stream.ReadExactly(target);
            result.ClearTail();
            return result;
        }

        public void WriteFile(string path)
        {
            int count = (int)(((long)Length + 7) >> 3);
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            stream.Write(MemoryMarshal.AsBytes(Words.AsSpan()).Slice(0, count));
        }

        public static BitVector Random(int length, System.Random rng)
        {
            ArgumentNullException.ThrowIfNull(rng);
            var result = new BitVector(length);
            rng.NextBytes(MemoryMarshal.AsBytes(result.Words.AsSpan()));
            result.ClearTail();
            return result;
        }

        /// <summary>Reads up to 64 bits starting at <paramref name="start"/> (LSB = first bit).</summary>
        public static ulong ReadBits(ulong[] words, int bitLength, int start, int count)
        {
            int w = start >> 6, s = start & 63;
            ulong value = words[w] >> s;
            if (s != 0 && s + count > 64) value |= words[w + 1] << (64 - s);
            return count == 64 ? value : value & ((1UL << count) - 1);
        }

        private static void WriteBits(ulong[] words, int start, int count, ulong bits)
        {
            int w = start >> 6, s = start & 63;
            ulong mask = count == 64 ? ulong.MaxValue : (1UL << count) - 1;
            words[w] = (words[w] & ~(mask << s)) | (bits << s);
            if (s != 0 && s + count > 64)
            {
                int high = s + count - 64;
                ulong highMask = (1UL << high) - 1;
                words[w + 1] = (words[w + 1] & ~highMask) | (bits >> (64 - s));
            }
        }

        public bool ContentEquals(BitVector other)
        {
            ArgumentNullException.ThrowIfNull(other);
            int n = WordCount(Length);
            return other.Length == Length && Words.AsSpan(0, n).SequenceEqual(other.Words.AsSpan(0, n));
        }

        private void ClearTail()
        {
            int full = Length >> 6, rest = Length & 63;
            int from = full;
            if (rest != 0) { Words[full] &= (1UL << rest) - 1; from = full + 1; }
            if (from < Words.Length) Array.Clear(Words, from, Words.Length - from);
        }

        private void RequireSameLength(BitVector other)
        {
            ArgumentNullException.ThrowIfNull(other);
            if (other.Length != Length)
                throw new ArgumentException($"Bit vectors differ in length ({Length} vs {other.Length}).", nameof(other));
        }

        private static void CheckRange(int start, int length, int total, string name)
        {
            if (start < 0 || length < 0 || (long)start + length > total)
                throw new ArgumentOutOfRangeException(name, $"Range [{start}, {start}+{length}) outside 0..{total}.");
        }
    }
}
