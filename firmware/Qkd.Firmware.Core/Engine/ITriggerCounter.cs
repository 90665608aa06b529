#nullable disable

namespace Qkd.Firmware.Engine
{
    /// <summary>
    /// A hardware count of trigger edges (ESP32 pulse counter, STM32 timer in external-clock mode),
    /// read by an engine to tell which trigger a late pin event belongs to. With it a trigger whose
    /// event was late or lost is reported as missed at its true pulse index.
    /// </summary>
    public interface ITriggerCounter
    {
        /// <summary>Rising trigger edges counted since the counter was created; never decreases.</summary>
        long Count { get; }
    }
}
