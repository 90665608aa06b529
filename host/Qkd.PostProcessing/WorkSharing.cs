namespace Qkd.PostProcessing;

/// <summary>
/// Runs body(0 .. count-1) on up to all cores (or inline when one worker suffices), the workers claiming
/// contiguous chunks from a shared counter. Parallel.For's fixed ranges left a busy machine's late-woken
/// worker with nothing: its range had been taken by the caller, so a whole NTT pass, or 9 of 10 frames of a
/// block, ran on one core. With claimed chunks a late worker joins in for whatever is left.
/// </summary>
internal static class WorkSharing
{
    /// <param name="chunksPerWorker">Chunks per worker (at most count): more balance the load, fewer cost less.</param>
    /// <param name="workerDone">Run by each worker on its own thread after its last chunk, also when a body throws
    /// (e.g. to wipe per-thread scratch that held secret-derived values).</param>
    public static void ForEach(int count, bool parallel, int chunksPerWorker, Action<int> body, Action? workerDone = null)
    {
        var workers = parallel ? Math.Min(Environment.ProcessorCount, count) : 1;
        if (workers <= 1)
        {
            try
            {
                for (var i = 0; i < count; i++) body(i);
            }
            finally
            {
                workerDone?.Invoke();
            }
            return;
        }
        int chunks = (int)Math.Min(count, (long)workers * chunksPerWorker), next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            try
            {
                for (var c = Interlocked.Increment(ref next); c < chunks; c = Interlocked.Increment(ref next))
                {
                    long start = (long)count * c / chunks, end = (long)count * (c + 1) / chunks;
                    for (var i = start; i < end; i++) body((int)i);
                }
            }
            finally
            {
                workerDone?.Invoke();
            }
        });
    }
}
