using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Tests.Devices;

/// <summary>Keeps every traced change, for assertions.</summary>
internal sealed class RecordingTrace : ISignalTrace
{
    public List<(string Scope, string Signal, long TimeNs, bool Value)> DigitalChanges { get; } = [];

    public List<(string Scope, string Signal, long TimeNs, double Value)> RealChanges { get; } = [];

    public void Digital(string scope, string signal, long timeNs, bool value) => DigitalChanges.Add((scope, signal, timeNs, value));

    public void Real(string scope, string signal, long timeNs, double value) => RealChanges.Add((scope, signal, timeNs, value));

    public IEnumerable<bool> ValuesOf(string signal) => DigitalChanges.Where(c => c.Signal == signal).Select(c => c.Value);
}
