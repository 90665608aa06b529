#nullable disable
using Qkd.Wire;

namespace Qkd.Firmware.Session
{
    /// <summary>
    /// The bench routine's hook (issue 3, DAC timing bench): the bench engineer's code runs a BenchRun
    /// on the configured hardware and reports per-transition timings. Without one the session answers
    /// BenchRun with Error "bench not available".
    /// </summary>
    public interface IBenchRunner
    {
        BenchReportMessage Run(BenchRunMessage request);
    }
}
