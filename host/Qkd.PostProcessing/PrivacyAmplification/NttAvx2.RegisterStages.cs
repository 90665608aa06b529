using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>
    /// The last stages of a row in registers (<see cref="NttAvx2"/>): four stages on 16 values for the plain
    /// transforms (natural order out), six on 64 values in a permuted lane order for the fused row pass.
    /// </summary>
    internal static unsafe partial class NttAvx2
    {
        /// <summary>Blocks of the last stages the row kernels leave to <see cref="SmallStagesForward"/> (half-sizes 8 .. 1).</summary>
        private const int SmallBlock = 32;

        // The last four stages of a row run in registers on 16 values (two vectors), one load and store per
        // value instead of two: half-size 8 pairs the two vectors (one broadcast twiddle); half-sizes 4, 2, 1
        // pair lanes of the same vector: the two vectors are shuffled so that one holds the "a" halves and the
        // other the "b" halves, with a per-lane twiddle vector. Each 16 values are one chain of dependent
        // multiplies and shuffles, so two groups are interleaved stage by stage (two independent chains in
        // flight): ~16 % less time for these stages than one group per iteration.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void SmallStagesForward(uint* a, int size, uint* z, long quotients, int row)
        {
            uint* end = a + size;
            uint* z8 = z + (long)row * (size / 16), z4 = z + (long)row * (size / 8), z2 = z + (long)row * (size / 4), z1 = z + (long)row * (size / 2);
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            uint* v = a;
            for (; v + 32 <= end; v += 32, z8 += 2, z4 += 4, z2 += 8, z1 += 16)
            {
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8), u0 = Avx.LoadVector256(v + 16), u1 = Avx.LoadVector256(v + 24);
                Forward8(ref v0, ref v1, z8, quotients, p, twoP);
                Forward8(ref u0, ref u1, z8 + 1, quotients, p, twoP);
                Forward4(ref v0, ref v1, z4, quotients, p, twoP);
                Forward4(ref u0, ref u1, z4 + 2, quotients, p, twoP);
                Forward2(ref v0, ref v1, z2, quotients, p, twoP);
                Forward2(ref u0, ref u1, z2 + 4, quotients, p, twoP);
                Forward1(ref v0, ref v1, z1, quotients, p, twoP);
                Forward1(ref u0, ref u1, z1 + 8, quotients, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1); Avx.Store(v + 16, u0); Avx.Store(v + 24, u1);
            }
            if (v < end)
            {
                // A row of 16 values (the smallest transform).
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8);
                Forward8(ref v0, ref v1, z8, quotients, p, twoP);
                Forward4(ref v0, ref v1, z4, quotients, p, twoP);
                Forward2(ref v0, ref v1, z2, quotients, p, twoP);
                Forward1(ref v0, ref v1, z1, quotients, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void SmallStagesInverse(uint* a, int size, uint* z, long quotients, int row)
        {
            uint* end = a + size;
            uint* z8 = z + (long)row * (size / 16), z4 = z + (long)row * (size / 8), z2 = z + (long)row * (size / 4), z1 = z + (long)row * (size / 2);
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            uint* v = a;
            for (; v + 32 <= end; v += 32, z8 += 2, z4 += 4, z2 += 8, z1 += 16)
            {
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8), u0 = Avx.LoadVector256(v + 16), u1 = Avx.LoadVector256(v + 24);
                Inverse1(ref v0, ref v1, z1, quotients, p, twoP);
                Inverse1(ref u0, ref u1, z1 + 8, quotients, p, twoP);
                Inverse2(ref v0, ref v1, z2, quotients, p, twoP);
                Inverse2(ref u0, ref u1, z2 + 4, quotients, p, twoP);
                Inverse4(ref v0, ref v1, z4, quotients, p, twoP);
                Inverse4(ref u0, ref u1, z4 + 2, quotients, p, twoP);
                Inverse8(ref v0, ref v1, z8, quotients, p, twoP);
                Inverse8(ref u0, ref u1, z8 + 1, quotients, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1); Avx.Store(v + 16, u0); Avx.Store(v + 24, u1);
            }
            if (v < end)
            {
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8);
                Inverse1(ref v0, ref v1, z1, quotients, p, twoP);
                Inverse2(ref v0, ref v1, z2, quotients, p, twoP);
                Inverse4(ref v0, ref v1, z4, quotients, p, twoP);
                Inverse8(ref v0, ref v1, z8, quotients, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1);
            }
        }

        /// <summary>Blocks the fused row pass (<see cref="LoadRow"/>, <see cref="ConvolveRow"/>) leaves to
        /// <see cref="RegisterStagesForward"/> / <see cref="RegisterStagesInverse"/> (half-sizes 32 .. 1).</summary>
        private const int RegisterBlock = 128;

        // The last six stages of a row in the fused row pass, on 64 values (eight vectors) per iteration: half-sizes 32
        // and 16 pair whole vectors (broadcast twiddles), then half-sizes 8 .. 1 run on two 16-value groups at a time,
        // interleaved stage by stage (each group alone is one chain of dependent multiplies and shuffles). This replaces
        // the radix-4 loop's last step, whose blocks of 64 values ran two iterations per twiddle load. The forward output
        // is only multiplied pointwise and then inverted, so the 16 values of a group stay in a fixed permuted lane order:
        // each stage shuffles once into the pairing the next needs instead of back to natural order and out again (6
        // shuffles per 16 values and transform instead of 12). Lane order after the forward (the inverse starts from it):
        // per 16 values v0 = (0, 4, 2, 6 | 8, 12, 10, 14), v1 = (1, 5, 3, 7 | 9, 13, 11, 15). size: a multiple of 64.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RegisterStagesForward(uint* a, int size, uint* z, long quotients, int row)
        {
            uint* end = a + size;
            uint* z32 = z + (long)row * (size / 64), z16 = z + (long)row * (size / 32), z8 = z + (long)row * (size / 16);
            uint* z4 = z + (long)row * (size / 8), z2 = z + (long)row * (size / 4), z1 = z + (long)row * (size / 2);
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            for (uint* v = a; v < end; v += 64, z32++, z16 += 2, z8 += 4, z4 += 8, z2 += 16, z1 += 32)
            {
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8), v2 = Avx.LoadVector256(v + 16), v3 = Avx.LoadVector256(v + 24);
                Vector256<uint> v4 = Avx.LoadVector256(v + 32), v5 = Avx.LoadVector256(v + 40), v6 = Avx.LoadVector256(v + 48), v7 = Avx.LoadVector256(v + 56);
                Vector256<uint> w = Vector256.Create(z32[0]), wq = Vector256.Create(z32[quotients]);
                ForwardButterfly(ref v0, ref v4, w, wq, wq, p, twoP);
                ForwardButterfly(ref v1, ref v5, w, wq, wq, p, twoP);
                ForwardButterfly(ref v2, ref v6, w, wq, wq, p, twoP);
                ForwardButterfly(ref v3, ref v7, w, wq, wq, p, twoP);
                w = Vector256.Create(z16[0]); wq = Vector256.Create(z16[quotients]);
                ForwardButterfly(ref v0, ref v2, w, wq, wq, p, twoP);
                ForwardButterfly(ref v1, ref v3, w, wq, wq, p, twoP);
                w = Vector256.Create(z16[1]); wq = Vector256.Create(z16[quotients + 1]);
                ForwardButterfly(ref v4, ref v6, w, wq, wq, p, twoP);
                ForwardButterfly(ref v5, ref v7, w, wq, wq, p, twoP);
                ForwardGroupsPermuted(ref v0, ref v1, ref v2, ref v3, z8, z4, z2, z1, quotients, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1); Avx.Store(v + 16, v2); Avx.Store(v + 24, v3);
                ForwardGroupsPermuted(ref v4, ref v5, ref v6, ref v7, z8 + 2, z4 + 4, z2 + 8, z1 + 16, quotients, p, twoP);
                Avx.Store(v + 32, v4); Avx.Store(v + 40, v5); Avx.Store(v + 48, v6); Avx.Store(v + 56, v7);
            }
        }

        /// <summary>Undoes <see cref="RegisterStagesForward"/>'s stages (input in its lane order, output in natural order).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RegisterStagesInverse(uint* a, int size, uint* z, long quotients, int row)
        {
            uint* end = a + size;
            uint* z32 = z + (long)row * (size / 64), z16 = z + (long)row * (size / 32), z8 = z + (long)row * (size / 16);
            uint* z4 = z + (long)row * (size / 8), z2 = z + (long)row * (size / 4), z1 = z + (long)row * (size / 2);
            Vector256<uint> p = Vector256.Create(NttField.P), twoP = Vector256.Create(NttField.TwoP);
            for (uint* v = a; v < end; v += 64, z32++, z16 += 2, z8 += 4, z4 += 8, z2 += 16, z1 += 32)
            {
                Vector256<uint> v0 = Avx.LoadVector256(v), v1 = Avx.LoadVector256(v + 8), v2 = Avx.LoadVector256(v + 16), v3 = Avx.LoadVector256(v + 24);
                InverseGroupsPermuted(ref v0, ref v1, ref v2, ref v3, z8, z4, z2, z1, quotients, p, twoP);
                Vector256<uint> v4 = Avx.LoadVector256(v + 32), v5 = Avx.LoadVector256(v + 40), v6 = Avx.LoadVector256(v + 48), v7 = Avx.LoadVector256(v + 56);
                InverseGroupsPermuted(ref v4, ref v5, ref v6, ref v7, z8 + 2, z4 + 4, z2 + 8, z1 + 16, quotients, p, twoP);
                Vector256<uint> w = Vector256.Create(z16[0]), wq = Vector256.Create(z16[quotients]);
                InverseButterfly(ref v0, ref v2, w, wq, wq, p, twoP);
                InverseButterfly(ref v1, ref v3, w, wq, wq, p, twoP);
                w = Vector256.Create(z16[1]); wq = Vector256.Create(z16[quotients + 1]);
                InverseButterfly(ref v4, ref v6, w, wq, wq, p, twoP);
                InverseButterfly(ref v5, ref v7, w, wq, wq, p, twoP);
                w = Vector256.Create(z32[0]); wq = Vector256.Create(z32[quotients]);
                InverseButterfly(ref v0, ref v4, w, wq, wq, p, twoP);
                InverseButterfly(ref v1, ref v5, w, wq, wq, p, twoP);
                InverseButterfly(ref v2, ref v6, w, wq, wq, p, twoP);
                InverseButterfly(ref v3, ref v7, w, wq, wq, p, twoP);
                Avx.Store(v, v0); Avx.Store(v + 8, v1); Avx.Store(v + 16, v2); Avx.Store(v + 24, v3);
                Avx.Store(v + 32, v4); Avx.Store(v + 40, v5); Avx.Store(v + 48, v6); Avx.Store(v + 56, v7);
            }
        }

        /// <summary>Half-sizes 8 .. 1 of two 16-value groups (v0, v1) and (u0, u1), interleaved; zK at the first group's twiddles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardGroupsPermuted(ref Vector256<uint> v0, ref Vector256<uint> v1, ref Vector256<uint> u0, ref Vector256<uint> u1,
            uint* z8, uint* z4, uint* z2, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Forward8(ref v0, ref v1, z8, quotients, p, twoP);
            Forward8(ref u0, ref u1, z8 + 1, quotients, p, twoP);
            ForwardPermuted4(ref v0, ref v1, z4, quotients, p, twoP);
            ForwardPermuted4(ref u0, ref u1, z4 + 2, quotients, p, twoP);
            ForwardPermuted2(ref v0, ref v1, z2, quotients, p, twoP);
            ForwardPermuted2(ref u0, ref u1, z2 + 4, quotients, p, twoP);
            ForwardPermuted1(ref v0, ref v1, z1, quotients, p, twoP);
            ForwardPermuted1(ref u0, ref u1, z1 + 8, quotients, p, twoP);
        }

        /// <summary>Undoes <see cref="ForwardGroupsPermuted"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InverseGroupsPermuted(ref Vector256<uint> v0, ref Vector256<uint> v1, ref Vector256<uint> u0, ref Vector256<uint> u1,
            uint* z8, uint* z4, uint* z2, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            InversePermuted1(ref v0, ref v1, z1, quotients, p, twoP);
            InversePermuted1(ref u0, ref u1, z1 + 8, quotients, p, twoP);
            InversePermuted2(ref v0, ref v1, z2, quotients, p, twoP);
            InversePermuted2(ref u0, ref u1, z2 + 4, quotients, p, twoP);
            InversePermuted4(ref v0, ref v1, z4, quotients, p, twoP);
            InversePermuted4(ref u0, ref u1, z4 + 2, quotients, p, twoP);
            Inverse8(ref v0, ref v1, z8, quotients, p, twoP);
            Inverse8(ref u0, ref u1, z8 + 1, quotients, p, twoP);
        }

        /// <summary>Half-size 4 from natural order: x = values (0-3 | 8-11), y = (4-7 | 12-15), left so.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardPermuted4(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z4, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> x = Avx2.Permute2x128(v0, v1, 0x20), y = Avx2.Permute2x128(v0, v1, 0x31);
            Vector256<uint> w = Vector256.Create(Vector128.Create(z4[0]), Vector128.Create(z4[1]));
            Vector256<uint> wq = Vector256.Create(Vector128.Create(z4[quotients]), Vector128.Create(z4[quotients + 1]));
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = x;
            v1 = y;
        }

        /// <summary>Half-size 2 from ForwardPermuted4's order: x = values (0, 1, 4, 5 | 8, 9, 12, 13), y = (2, 3, 6, 7 | 10, 11, 14, 15).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardPermuted2(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z2, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> blocks = Vector256.Create(0u, 0, 1, 1, 2, 2, 3, 3);
            Vector256<uint> x = Avx2.UnpackLow(v0.AsUInt64(), v1.AsUInt64()).AsUInt32(), y = Avx2.UnpackHigh(v0.AsUInt64(), v1.AsUInt64()).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Vector128.Load(z2).ToVector256Unsafe(), blocks);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Vector128.Load(z2 + quotients).ToVector256Unsafe(), blocks);
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = x;
            v1 = y;
        }

        /// <summary>Half-size 1 from ForwardPermuted2's order: x = values (0, 4, 2, 6 | 8, 12, 10, 14), y = (1, 5, 3, 7 | 9, 13, 11, 15).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ForwardPermuted1(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> blocks = Vector256.Create(0u, 2, 1, 3, 4, 6, 5, 7);
            Vector256<uint> x = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0x88).AsUInt32(), y = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0xDD).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Avx.LoadVector256(z1), blocks);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Avx.LoadVector256(z1 + quotients), blocks);
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = x;
            v1 = y;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InversePermuted1(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> blocks = Vector256.Create(0u, 2, 1, 3, 4, 6, 5, 7);
            Vector256<uint> w = Avx2.PermuteVar8x32(Avx.LoadVector256(z1), blocks);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Avx.LoadVector256(z1 + quotients), blocks);
            InverseButterfly(ref v0, ref v1, w, wq, Odd(wq), p, twoP);
        }

        /// <summary>From the half-size-1 order to the half-size-2 order (see ForwardPermuted2), then that stage.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InversePermuted2(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z2, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> blocks = Vector256.Create(0u, 0, 1, 1, 2, 2, 3, 3);
            Vector256<uint> x = Avx2.UnpackLow(v0, v1), y = Avx2.UnpackHigh(v0, v1);
            Vector256<uint> w = Avx2.PermuteVar8x32(Vector128.Load(z2).ToVector256Unsafe(), blocks);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Vector128.Load(z2 + quotients).ToVector256Unsafe(), blocks);
            InverseButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = x;
            v1 = y;
        }

        /// <summary>From the half-size-2 order to the half-size-4 order (see ForwardPermuted4), that stage, then back to natural order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InversePermuted4(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z4, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> x = Avx2.UnpackLow(v0.AsUInt64(), v1.AsUInt64()).AsUInt32(), y = Avx2.UnpackHigh(v0.AsUInt64(), v1.AsUInt64()).AsUInt32();
            Vector256<uint> w = Vector256.Create(Vector128.Create(z4[0]), Vector128.Create(z4[1]));
            Vector256<uint> wq = Vector256.Create(Vector128.Create(z4[quotients]), Vector128.Create(z4[quotients + 1]));
            InverseButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.Permute2x128(x, y, 0x20);
            v1 = Avx2.Permute2x128(x, y, 0x31);
        }

        // One stage of 16 values (v0 = values 0-7, v1 = 8-15) with half-size 8, 4, 2 or 1; zK points at the twiddle of
        // the group's first block at that stage. The lanes go back to natural order after each stage.

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Forward8(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z8, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> w8 = Vector256.Create(z8[0]), wq8 = Vector256.Create(z8[quotients]);
            ForwardButterfly(ref v0, ref v1, w8, wq8, wq8, p, twoP);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Forward4(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z4, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> x = Avx2.Permute2x128(v0, v1, 0x20), y = Avx2.Permute2x128(v0, v1, 0x31);
            Vector256<uint> w = Vector256.Create(Vector128.Create(z4[0]), Vector128.Create(z4[1]));
            Vector256<uint> wq = Vector256.Create(Vector128.Create(z4[quotients]), Vector128.Create(z4[quotients + 1]));
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.Permute2x128(x, y, 0x20);
            v1 = Avx2.Permute2x128(x, y, 0x31);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Forward2(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z2, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> pairs = Vector256.Create(0u, 0, 2, 2, 1, 1, 3, 3);
            Vector256<uint> x = Avx2.UnpackLow(v0.AsUInt64(), v1.AsUInt64()).AsUInt32(), y = Avx2.UnpackHigh(v0.AsUInt64(), v1.AsUInt64()).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Vector128.Load(z2).ToVector256Unsafe(), pairs);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Vector128.Load(z2 + quotients).ToVector256Unsafe(), pairs);
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.UnpackLow(x.AsUInt64(), y.AsUInt64()).AsUInt32();
            v1 = Avx2.UnpackHigh(x.AsUInt64(), y.AsUInt64()).AsUInt32();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Forward1(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> singles = Vector256.Create(0u, 1, 4, 5, 2, 3, 6, 7);
            Vector256<uint> x = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0x88).AsUInt32(), y = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0xDD).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Avx.LoadVector256(z1), singles);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Avx.LoadVector256(z1 + quotients), singles);
            ForwardButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.UnpackLow(x, y);
            v1 = Avx2.UnpackHigh(x, y);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Inverse1(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z1, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> singles = Vector256.Create(0u, 1, 4, 5, 2, 3, 6, 7);
            Vector256<uint> x = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0x88).AsUInt32(), y = Avx.Shuffle(v0.AsSingle(), v1.AsSingle(), 0xDD).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Avx.LoadVector256(z1), singles);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Avx.LoadVector256(z1 + quotients), singles);
            InverseButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.UnpackLow(x, y);
            v1 = Avx2.UnpackHigh(x, y);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Inverse2(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z2, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> pairs = Vector256.Create(0u, 0, 2, 2, 1, 1, 3, 3);
            Vector256<uint> x = Avx2.UnpackLow(v0.AsUInt64(), v1.AsUInt64()).AsUInt32(), y = Avx2.UnpackHigh(v0.AsUInt64(), v1.AsUInt64()).AsUInt32();
            Vector256<uint> w = Avx2.PermuteVar8x32(Vector128.Load(z2).ToVector256Unsafe(), pairs);
            Vector256<uint> wq = Avx2.PermuteVar8x32(Vector128.Load(z2 + quotients).ToVector256Unsafe(), pairs);
            InverseButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.UnpackLow(x.AsUInt64(), y.AsUInt64()).AsUInt32();
            v1 = Avx2.UnpackHigh(x.AsUInt64(), y.AsUInt64()).AsUInt32();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Inverse4(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z4, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> x = Avx2.Permute2x128(v0, v1, 0x20), y = Avx2.Permute2x128(v0, v1, 0x31);
            Vector256<uint> w = Vector256.Create(Vector128.Create(z4[0]), Vector128.Create(z4[1]));
            Vector256<uint> wq = Vector256.Create(Vector128.Create(z4[quotients]), Vector128.Create(z4[quotients + 1]));
            InverseButterfly(ref x, ref y, w, wq, Odd(wq), p, twoP);
            v0 = Avx2.Permute2x128(x, y, 0x20);
            v1 = Avx2.Permute2x128(x, y, 0x31);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Inverse8(ref Vector256<uint> v0, ref Vector256<uint> v1, uint* z8, long quotients, Vector256<uint> p, Vector256<uint> twoP)
        {
            Vector256<uint> w8 = Vector256.Create(z8[0]), wq8 = Vector256.Create(z8[quotients]);
            InverseButterfly(ref v0, ref v1, w8, wq8, wq8, p, twoP);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<uint> Odd(Vector256<uint> w) => Avx2.ShiftRightLogical(w.AsUInt64(), 32).AsUInt32();
    }
}
