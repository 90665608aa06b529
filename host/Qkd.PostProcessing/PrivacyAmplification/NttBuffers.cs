using System.Runtime.InteropServices;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    /// <summary>A native work buffer of uints: 2 MiB aligned (rows and column groups start on cache lines).</summary>
    internal sealed unsafe class NttBuffer
    {
        public NttBuffer(uint* pointer, long capacity) { Pointer = pointer; Capacity = capacity; }
        public uint* Pointer { get; }
        public long Capacity { get; }
    }

    /// <summary>
    /// Transform buffers of the fused schedule, kept for the next call (a block pipeline hashes every block:
    /// no page faults after the first). Native memory, 2 MiB aligned and, on Linux, advised for transparent
    /// huge pages: the column passes touch one cache line per 64 KiB row, so with 4 KiB pages nearly every
    /// access of a 64 MiB transform is a TLB miss. At most <see cref="CacheBytes"/> stay cached.
    /// </summary>
    internal static unsafe class NttBuffers
    {
        public const long CacheBytes = 512L << 20;
        private const long Alignment = 2L << 20;
        private const int MadviseHugePage = 14;

        private static readonly List<NttBuffer> Free = new();
        private static long _cachedBytes;

        public static NttBuffer Rent(long points)
        {
            long bytes = (points * sizeof(uint) + Alignment - 1) / Alignment * Alignment;
            lock (Free)
            {
                int best = -1;
                for (int i = 0; i < Free.Count; i++)
                    if (Free[i].Capacity >= points && (best < 0 || Free[i].Capacity < Free[best].Capacity)) best = i;
                if (best >= 0)
                {
                    NttBuffer found = Free[best];
                    Free.RemoveAt(best);
                    _cachedBytes -= found.Capacity * sizeof(uint);
                    return found;
                }
            }
            void* memory = NativeMemory.AlignedAlloc((nuint)bytes, (nuint)Alignment);
            AdviseHugePages(memory, bytes);
            // The allocator may hand back memory the process used before (glibc raises its mmap threshold after large
            // frees). Callers write and wipe [0, points); the rounding tail is cleared here, so a cached buffer is all zeros.
            NativeMemory.Clear((uint*)memory + points, (nuint)(bytes - points * sizeof(uint)));
            return new NttBuffer((uint*)memory, bytes / sizeof(uint));
        }

        private static bool _adviceUnavailable;

        /// <summary>A hint only: where madvise is missing or refuses, the buffer just runs with small pages.</summary>
        private static void AdviseHugePages(void* memory, long bytes)
        {
            if (!OperatingSystem.IsLinux() || _adviceUnavailable) return;
            try { _ = madvise(memory, (nuint)bytes, MadviseHugePage); }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { _adviceUnavailable = true; }
        }

        public static void Return(NttBuffer buffer)
        {
            lock (Free)
            {
                long bytes = buffer.Capacity * sizeof(uint);
                if (_cachedBytes + bytes <= CacheBytes)
                {
                    Free.Add(buffer);
                    _cachedBytes += bytes;
                    return;
                }
            }
            NativeMemory.AlignedFree(buffer.Pointer);
        }

        /// <summary>Frees every cached buffer (e.g. an agent giving back memory after a large block).</summary>
        public static void Trim()
        {
            lock (Free)
            {
                foreach (NttBuffer buffer in Free) NativeMemory.AlignedFree(buffer.Pointer);
                Free.Clear();
                _cachedBytes = 0;
            }
        }

        /// <summary>Cached buffers, and how many of them hold any non-zero value (for the wipe tests).</summary>
        internal static (int Cached, int HoldingData) CachedForTest()
        {
            lock (Free)
            {
                int holding = 0;
                foreach (NttBuffer buffer in Free)
                    if (new ReadOnlySpan<uint>(buffer.Pointer, checked((int)buffer.Capacity)).IndexOfAnyExcept(0u) >= 0) holding++;
                return (Free.Count, holding);
            }
        }

        [DllImport("libc", EntryPoint = "madvise")]
        private static extern int madvise(void* address, nuint length, int advice);
    }
}
