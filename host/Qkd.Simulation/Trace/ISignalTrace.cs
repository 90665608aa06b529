namespace Qkd.Simulation.Trace;

/// <summary>
/// Receives signal changes from device models (a VCD writer, a recorder in tests).
/// <paramref name="scope"/> is the board ("alice", "bob"), <paramref name="signal"/> the wire
/// ("dac_sync", "mux_a0", "eom_v", ...). Calls come in non-decreasing time per signal.
/// </summary>
public interface ISignalTrace
{
    void Digital(string scope, string signal, long timeNs, bool value);

    void Real(string scope, string signal, long timeNs, double value);
}
