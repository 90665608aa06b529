#nullable disable
using Qkd.Firmware.Platform;

namespace Qkd.Firmware.Bench
{
    /// <summary>
    /// The real board's bench clock: triggers on a fixed grid of <see cref="TickSource"/> time, waited for
    /// by spinning (a sleep would be milliseconds). A trigger the routine reaches late keeps its
    /// scheduled time, so the lateness shows up in the measured latency instead of stretching the grid.
    /// Resolution is one TickSource tick (100 ns).
    /// </summary>
    public sealed class SelfTimedBenchPacer : IBenchPacer
    {
        private const long NsPerTick = 100;
        private long _periodTicks;
        private long _nextTick;

        public void Begin(long periodNs)
        {
            _periodTicks = periodNs / NsPerTick;
            if (_periodTicks < 1)
            {
                _periodTicks = 1;
            }
            _nextTick = TickSource.Now + _periodTicks;
        }

        public long WaitForTrigger()
        {
            long due = _nextTick;
            while (TickSource.Now < due)
            {
                // spin: the step grid is microseconds, Thread.Sleep has millisecond granularity
            }
            _nextTick = due + _periodTicks;
            return due * NsPerTick;
        }

        public long NowNs
        {
            get { return TickSource.Now * NsPerTick; }
        }

        public void End()
        {
        }
    }
}
