using Qkd.Firmware.Drivers;
using Qkd.Simulation.Emulation;
using Qkd.Wire;

namespace Qkd.Simulation.Tests.Emulation;

/// <summary>Bench board specs shaped like boards/alice-esp32.json and boards/bob-esp32.json.</summary>
internal static class BenchSpecs
{
    public const double Gain = 20.0, Clamp = 200.0;

    public static BenchBoardSpec Alice(double vPi = 180.0) =>
        Spec("alice-esp32", BoardRole.Alice, Ad5754OutputRange.Bipolar10V, [vPi, 0.0, vPi / 2, -vPi / 2], vPi);

    public static BenchBoardSpec Bob(double vPi = 175.0) =>
        Spec("bob-esp32", BoardRole.Bob, Ad5754OutputRange.Bipolar5V, [0.0, vPi / 2], vPi);

    private static BenchBoardSpec Spec(string name, byte role, Ad5754OutputRange range, double[] eomVolts, double vPi)
    {
        var bob = role == BoardRole.Bob;
        var codes = eomVolts.Select(v => (ushort)Ad5754Conversion.VoltsToCode(v / Gain, range, Ad5754BipolarCoding.TwosComplement, 2.5)).ToArray();
        var configure = new ConfigureMessage
        {
            Role = role,
            DacSyncPin = 5, DacSclkPin = 18, DacSdinPin = 23, DacSdoPin = 19, DacLdacPin = 21, DacClrPin = 22,
            MuxEnPin = 25, MuxA0Pin = 26, MuxA1Pin = bob ? -1 : 27, TriggerInPin = 34,
            ApdGateOutPin = bob ? 32 : -1, Apd0LatchPin = bob ? 35 : -1, Apd1LatchPin = bob ? 36 : -1, LatchClearPin = bob ? 33 : -1,
            ScopeSyncPin = 4, SpiBus = 1, SpiClockHz = 10_000_000,
            DacRangeCode = (byte)range, DacCoding = DacCoding.TwosComplement, ChannelCodes = codes,
            GateDelayNs = 120, GateWidthNs = 40, TriggerEdge = TriggerEdge.Rising, PulseEngine = PulseEngineKind.Managed,
        };
        return new BenchBoardSpec(name, configure, Gain, Clamp, vPi);
    }
}
