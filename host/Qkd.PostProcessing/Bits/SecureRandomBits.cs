using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Qkd.PostProcessing.Bits
{
    /// <summary>Secret random values (hash keys, sample and Toeplitz seeds) from the OS CSPRNG.</summary>
    internal static class SecureRandomBits
    {
        public static ulong UInt64()
        {
            Span<byte> bytes = stackalloc byte[8];
            RandomNumberGenerator.Fill(bytes);
            return BitConverter.ToUInt64(bytes);
        }

        /// <summary><paramref name="length"/> uniformly random bits (bits past the length zero, as every BitVector).</summary>
        public static BitVector Bits(int length)
        {
            var bits = new BitVector(length);
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(bits.Words.AsSpan()));
            return new BitVector(bits.Words, length);
        }
    }
}
