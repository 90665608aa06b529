#nullable disable
using System;

namespace Qkd.Firmware.Platform
{
    /// <summary>
    /// A monotonic time stamp in 100 ns ticks (TimeSpan ticks) for measuring intervals such as a pulse
    /// handler's duration. The one place where the firmware's clock differs between platforms.
    /// </summary>
    public static class TickSource
    {
        public const long TicksPerSecond = TimeSpan.TicksPerSecond;

#if NANOFRAMEWORK_1_0
        // nanoFramework has no Stopwatch; DateTime.UtcNow counts from the system timer. The firmware
        // never sets the clock while a block runs, so differences within a block are monotonic.
        public static long Now
        {
            get { return DateTime.UtcNow.Ticks; }
        }
#else
        private static readonly long Frequency = System.Diagnostics.Stopwatch.Frequency;

        public static long Now
        {
            get
            {
                long raw = System.Diagnostics.Stopwatch.GetTimestamp();
                // Split the conversion so raw * TicksPerSecond cannot overflow after long uptimes.
                return raw / Frequency * TicksPerSecond + raw % Frequency * TicksPerSecond / Frequency;
            }
        }
#endif
    }
}
