using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.Gf2
{
    /// <summary>
    /// Products of GF(2)[x] polynomials packed in ulong words (bit i = coefficient of x^i): Karatsuba
    /// recursion down to a small schoolbook with PCLMULQDQ leaves, the top levels in parallel.
    /// </summary>
    public sealed class PolynomialMultiplier
    {
        private static readonly int SchoolbookWords = Pclmulqdq.V512.IsSupported ? 16 : 8;
        private const int ParallelMinWords = 4096;

        private readonly bool _useHardware;
        private readonly int _parallelDepth;

        /// <param name="useHardware">false forces the portable carry-less multiply (for tests).</param>
        /// <param name="parallelDepth">Karatsuba levels that fork into parallel tasks (0 = serial).</param>
        public PolynomialMultiplier(bool useHardware = true, int parallelDepth = -1)
        {
            _useHardware = useHardware && Pclmulqdq.IsSupported;
            _parallelDepth = parallelDepth >= 0 ? parallelDepth : (Environment.ProcessorCount > 1 ? 2 : 0);
        }

        /// <summary>result[0 .. 2n) = a * b for equal-length operands of n words.</summary>
        public void Multiply(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
        {
            if (a.Length != b.Length) throw new ArgumentException("Operands must have the same word count.");
            if (result.Length < 2 * a.Length) throw new ArgumentException("Result needs 2n words.");
            var scratch = new ulong[ScratchWords(a.Length)];
            Karatsuba(a.ToArray(), b.ToArray(), result.Slice(0, 2 * a.Length), scratch, _parallelDepth);
        }

        /// <summary>Scratch for n words: per level 2h (operand sums) + 2h (middle product), h = ceil(n/2).</summary>
        public static int ScratchWords(int n)
        {
            long total = 0;
            while (n > SchoolbookWords)
            {
                int h = (n + 1) / 2;
                total += 4L * h;
                n = h;
            }
            return (int)total;
        }

        private void Karatsuba(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, Span<ulong> scratch, int parallelDepth)
        {
            int n = a.Length;
            if (n <= SchoolbookWords)
            {
                Schoolbook(a, b, result);
                return;
            }
            int h = (n + 1) / 2, rest = n - h;

            if (parallelDepth > 0 && n >= ParallelMinWords)
            {
                KaratsubaParallel(a, b, result, h, rest, parallelDepth - 1);
                return;
            }

            Span<ulong> sumA = scratch.Slice(0, h), sumB = scratch.Slice(h, h);
            Span<ulong> middle = scratch.Slice(2 * h, 2 * h), deeper = scratch.Slice(4 * h);

            // p0 = a0 b0 -> result[0, 2h); p2 = a1 b1 -> result[2h, 2n).
            Karatsuba(a.Slice(0, h), b.Slice(0, h), result.Slice(0, 2 * h), deeper, 0);
            Karatsuba(a.Slice(h), b.Slice(h), result.Slice(2 * h, 2 * rest), deeper, 0);
            SumHalves(a, h, sumA);
            SumHalves(b, h, sumB);
            Karatsuba(sumA, sumB, middle, deeper, 0);
            CombineMiddle(result, middle, h, rest);
        }

        private void KaratsubaParallel(ReadOnlySpan<ulong> aSpan, ReadOnlySpan<ulong> bSpan, Span<ulong> result, int h, int rest, int depth)
        {
            ulong[] a = aSpan.ToArray(), b = bSpan.ToArray();
            var p0 = new ulong[2 * h];
            var p2 = new ulong[2 * rest];
            var middle = new ulong[2 * h];
            var sumA = new ulong[h];
            var sumB = new ulong[h];
            SumHalves(a, h, sumA);
            SumHalves(b, h, sumB);
            Parallel.Invoke(
                () => Karatsuba(a.AsSpan(0, h), b.AsSpan(0, h), p0, new ulong[ScratchWords(h)], depth),
                () => Karatsuba(a.AsSpan(h), b.AsSpan(h), p2, new ulong[ScratchWords(rest)], depth),
                () => Karatsuba(sumA, sumB, middle, new ulong[ScratchWords(h)], depth));
            p0.CopyTo(result);
            p2.CopyTo(result.Slice(2 * h));
            CombineMiddle(result, middle, h, rest);
        }

        // sum = low half ^ high half (the high half is shorter by at most one word).
        private static void SumHalves(ReadOnlySpan<ulong> x, int h, Span<ulong> sum)
        {
            x.Slice(0, h).CopyTo(sum);
            Xor(sum, x.Slice(h));
        }

        // result[h, 3h) ^= middle ^ p0 ^ p2, where p0 = result[0, 2h) and p2 = result[2h, 2n).
        private static void CombineMiddle(Span<ulong> result, Span<ulong> middle, int h, int rest)
        {
            Xor(middle, result.Slice(0, 2 * h));
            Xor(middle, result.Slice(2 * h, 2 * rest));
            Xor(result.Slice(h, Math.Min(2 * h, result.Length - h)), middle);
        }

        /// <summary>target[i] ^= source[i] for i &lt; source.Length (vectorised).</summary>
        public static void Xor(Span<ulong> target, ReadOnlySpan<ulong> source)
        {
            int n = Math.Min(target.Length, source.Length), i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vt = MemoryMarshal.Cast<ulong, Vector<ulong>>(target.Slice(0, n));
                var vs = MemoryMarshal.Cast<ulong, Vector<ulong>>(source.Slice(0, n));
                for (int v = 0; v < vt.Length; v++) vt[v] ^= vs[v];
                i = vt.Length * Vector<ulong>.Count;
            }
            for (; i < n; i++) target[i] ^= source[i];
        }

        /// <summary>
        /// n &lt;= 16 words with VPCLMULQDQ. For output words [s, s+8) and each a_i, one load of b shifted by
        /// s - i words feeds two instructions: selector 0x00 gives a_i b_(s-i+2k) landing on word s+2k, selector
        /// 0x10 gives a_i b_(s-i+2k+1) landing on word s+2k+1. Both accumulate in registers (no overlapping
        /// stores in the loop); b is zero-padded so out-of-range partners contribute nothing.
        /// </summary>
        private static unsafe void SchoolbookWide(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
        {
            int n = a.Length;
            ulong* padded = stackalloc ulong[48];
            ulong* output = stackalloc ulong[48];
            for (int k = 0; k < 48; k += 8)
            {
                Vector512.Store(Vector512<ulong>.Zero, padded + k);
                Vector512.Store(Vector512<ulong>.Zero, output + k);
            }
            for (int k = 0; k < n; k++) padded[16 + k] = b[k];
            for (int s = 0; s < 2 * n; s += 8)
            {
                Vector512<ulong> even = Vector512<ulong>.Zero, odd = Vector512<ulong>.Zero;
                // Only a_i whose partner window b[s-i .. s-i+7] meets b[0 .. n-1] contribute.
                int first = Math.Max(0, s - n + 1), last = Math.Min(n - 1, s + 7);
                for (int i = first; i <= last; i++)
                {
                    Vector512<ulong> va = Vector512.Create(a[i]);
                    Vector512<ulong> vb = Vector512.Load(padded + 16 + s - i);
                    even ^= Pclmulqdq.V512.CarrylessMultiply(va, vb, 0x00);
                    odd ^= Pclmulqdq.V512.CarrylessMultiply(va, vb, 0x10);
                }
                Vector512.Store(Vector512.Load(output + s) ^ even, output + s);
                Vector512.Store(Vector512.Load(output + s + 1) ^ odd, output + s + 1);
            }
            new ReadOnlySpan<ulong>(output, 2 * n).CopyTo(result);
        }

        private void Schoolbook(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result)
        {
            int n = a.Length;
            if (_useHardware && Pclmulqdq.V512.IsSupported && n <= 16)
            {
                SchoolbookWide(a, b, result);
                return;
            }
            result.Slice(0, 2 * n).Clear();
            if (_useHardware)
            {
                for (int i = 0; i < n; i++)
                {
                    Vector128<ulong> ai = Vector128.CreateScalar(a[i]);
                    for (int j = 0; j < n; j++)
                    {
                        Vector128<ulong> p = Pclmulqdq.CarrylessMultiply(ai, Vector128.CreateScalar(b[j]), 0x00);
                        result[i + j] ^= p.GetElement(0);
                        result[i + j + 1] ^= p.GetElement(1);
                    }
                }
                return;
            }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    ulong low = CarrylessMultiply.Portable(a[i], b[j], out ulong high);
                    result[i + j] ^= low;
                    result[i + j + 1] ^= high;
                }
        }
    }
}
