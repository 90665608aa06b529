using Qkd.Firmware.Roles;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Support;

/// <summary>Configure messages and identities shaped like boards/alice-esp32.json and boards/bob-esp32.json.</summary>
internal static class Boards
{
    public const int LdacPin = 21, ClrPin = 22, LatchClearPin = 33, ScopeSync = 4;
    public const int MuxEn = 25, MuxA0 = 26, MuxA1 = 27, Trigger = 34, Gate = 32, Latch0 = 35, Latch1 = 36;

    public static readonly ushort[] AliceCodes = [0x0000, 0x2000, 0x1000, 0x3000];
    public static readonly ushort[] BobCodes = [0x0000, 0x1800];

    public static BoardIdentity Identity(byte role, int maxPulses = 100_000, int detectionCapacity = 8192) => new()
    {
        BoardId = role == BoardRole.Alice ? "alice-esp32" : "bob-esp32",
        Role = role,
        MaxPulsesPerBlock = maxPulses,
        DetectionCapacity = detectionCapacity,
        MissedCapacity = 64,
    };

    public static ConfigureMessage Configure(byte role)
    {
        var bob = role == BoardRole.Bob;
        return new ConfigureMessage
        {
            Role = role,
            DacSyncPin = 5, DacSclkPin = 18, DacSdinPin = 23, DacSdoPin = 19, DacLdacPin = LdacPin, DacClrPin = ClrPin,
            MuxEnPin = MuxEn, MuxA0Pin = MuxA0, MuxA1Pin = bob ? -1 : MuxA1,
            TriggerInPin = Trigger,
            ApdGateOutPin = bob ? Gate : -1, Apd0LatchPin = bob ? Latch0 : -1, Apd1LatchPin = bob ? Latch1 : -1,
            LatchClearPin = bob ? LatchClearPin : -1, ScopeSyncPin = ScopeSync, SpiBus = 1, SpiClockHz = 10_000_000,
            DacRangeCode = 3, DacCoding = DacCoding.TwosComplement,
            ChannelCodes = bob ? BobCodes : AliceCodes,
            GateDelayNs = 120, GateWidthNs = 40,
            TriggerEdge = TriggerEdge.Rising, PulseEngine = PulseEngineKind.Managed,
        };
    }

    /// <summary>A random packed table of <paramref name="pulses"/> codes (2 bits on Alice, 1 on Bob).</summary>
    public static byte[] RandomTable(int pulses, int bitsPerPulse, int seed)
    {
        var table = new byte[(pulses * bitsPerPulse + 7) / 8];
        new Random(seed).NextBytes(table);
        return table;
    }

    /// <summary>Random clicks: about one pulse in <paramref name="oneIn"/> clicks; every tenth click is a double click.</summary>
    public static byte[] RandomClicks(int pulses, int oneIn, int seed)
    {
        var random = new Random(seed);
        var clicks = new byte[pulses];
        var n = 0;
        for (var p = 0; p < pulses; p++)
        {
            if (random.Next(oneIn) != 0) continue;
            clicks[p] = ++n % 10 == 0 ? DetectorCode.DoubleClick : (byte)(1 + random.Next(2));
        }

        return clicks;
    }
}
