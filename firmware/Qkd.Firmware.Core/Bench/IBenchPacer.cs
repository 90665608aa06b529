#nullable disable

namespace Qkd.Firmware.Bench
{
    /// <summary>
    /// The bench routine's step clock. Each step of the routine happens at a trigger: on a real board the
    /// routine is its own pulse clock (<see cref="SelfTimedBenchPacer"/>), in the emulator the bench board
    /// drives the trigger wire and advances virtual time while it samples the analog chain.
    /// </summary>
    public interface IBenchPacer
    {
        /// <summary>Starts a run: triggers come every <paramref name="periodNs"/> from about now.</summary>
        void Begin(long periodNs);

        /// <summary>Waits for the next trigger and returns its scheduled time (ns on <see cref="NowNs"/>'s clock).</summary>
        long WaitForTrigger();

        /// <summary>Now, on the pacer's clock, in ns.</summary>
        long NowNs { get; }

        /// <summary>The run is over (lets the emulator close its last measurement).</summary>
        void End();
    }
}
