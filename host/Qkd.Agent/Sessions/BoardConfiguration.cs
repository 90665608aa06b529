using Qkd.Agent.Boards;
using Qkd.Firmware.Drivers;
using Qkd.Simulation.Emulation;
using Qkd.Wire;
using Qkd.Wire.Link;
using WireRole = Qkd.Wire.BoardRole;

namespace Qkd.Agent.Sessions;

/// <summary>A board file as the wire's Configure message, and as the options of an emulated board.</summary>
public static class BoardConfiguration
{
    public static byte WireRoleOf(BoardFile board) => board.Role == Boards.BoardRole.Alice ? WireRole.Alice : WireRole.Bob;

    public static int DacChannels(BoardFile board) => board.Role == Boards.BoardRole.Alice ? 4 : 2;

    public static ConfigureMessage Configure(BoardFile board)
    {
        var bob = board.Role == Boards.BoardRole.Bob;
        var range = board.Dac.Range;
        var codes = board.ChannelDacVolts()
            .Select(v => (ushort)Ad5754Conversion.VoltsToCode(v, range, board.Dac.Coding, board.Dac.ReferenceVolts))
            .ToArray();
        var p = board.Pins;
        return new ConfigureMessage
        {
            Role = WireRoleOf(board),
            DacSyncPin = p.DacSync, DacSclkPin = p.DacSclk, DacSdinPin = p.DacSdin, DacSdoPin = p.DacSdo,
            DacLdacPin = p.DacLdac ?? -1, DacClrPin = p.DacClr ?? -1,
            MuxEnPin = p.MuxEn, MuxA0Pin = p.MuxA0, MuxA1Pin = bob ? -1 : p.MuxA1,
            TriggerInPin = p.TriggerIn,
            ApdGateOutPin = bob ? p.ApdGateOut ?? -1 : -1, Apd0LatchPin = bob ? p.Apd0Latch ?? -1 : -1, Apd1LatchPin = bob ? p.Apd1Latch ?? -1 : -1,
            LatchClearPin = bob ? p.LatchClear ?? -1 : -1,
            ScopeSyncPin = p.ScopeSync, SpiBus = board.Spi.Bus, SpiClockHz = (uint)board.Spi.ClockHz,
            DacRangeCode = (byte)range,
            // The wire numbers the codings differently from the driver enum: map, never cast.
            DacCoding = board.Dac.Coding == Ad5754BipolarCoding.OffsetBinary ? DacCoding.OffsetBinary : DacCoding.TwosComplement,
            ChannelCodes = codes,
            GateDelayNs = (uint)(board.Gate?.DelayNs ?? 0), GateWidthNs = (uint)(board.Gate?.WidthNs ?? 0),
            TriggerEdge = board.TriggerEdge == Boards.TriggerEdge.Rising ? Qkd.Wire.TriggerEdge.Rising : Qkd.Wire.TriggerEdge.Falling,
            PulseEngine = board.PulseEngine == Boards.PulseEngineKind.HardwareTimed ? Qkd.Wire.PulseEngineKind.HardwareTimed : Qkd.Wire.PulseEngineKind.Managed,
        };
    }

    /// <summary>The emulated bench board for this board file: its Configure and the analog chain's facts.</summary>
    public static BenchBoardSpec BenchSpec(BoardFile board) =>
        new(board.Name, Configure(board), board.AmplifierGain, board.AmplifierClampVolts, board.EomHalfWaveVolts);

    public static EmulatedBoardOptions Emulated(BoardFile board, int maxPulsesPerBlock, int detectionCapacity, LinkOptions link) => new()
    {
        Role = WireRoleOf(board),
        BoardId = board.Name,
        TwosComplement = board.Dac.Coding == Ad5754BipolarCoding.TwosComplement,
        DacLdacPin = board.Pins.DacLdac ?? -1,
        DacClrPin = board.Pins.DacClr ?? -1,
        AmplifierGain = board.AmplifierGain,
        MaxPulsesPerBlock = maxPulsesPerBlock,
        DetectionCapacity = detectionCapacity,
        Link = link,
    };
}
