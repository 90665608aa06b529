using Qkd.Agent.Boards;
using Qkd.Firmware.Drivers;
using Qkd.Simulation.Emulation;
using Qkd.Wire;

namespace Qkd.Agent.Verbs;

/// <summary>A validated board file as the firmware sees it: the Configure message and the bench board's analog facts.</summary>
internal static class BenchDacBoard
{
    public static BenchBoardSpec ToSpec(BoardFile board) =>
        new(board.Name, ToConfigure(board), board.AmplifierGain, board.AmplifierClampVolts, board.EomHalfWaveVolts);

    /// <summary>The Configure a host sends for this board: pins (-1 = not wired; latch clear and scope sync included), SPI, DAC range/coding and each channel's code.</summary>
    public static ConfigureMessage ToConfigure(BoardFile board)
    {
        var pins = board.Pins;
        var codes = board.ChannelDacVolts()
            .Select(volts => (ushort)Ad5754Conversion.VoltsToCode(volts, board.Dac.Range, board.Dac.Coding, board.Dac.ReferenceVolts))
            .ToArray();
        return new ConfigureMessage
        {
            Role = board.Role == Boards.BoardRole.Alice ? Wire.BoardRole.Alice : Wire.BoardRole.Bob,
            DacSyncPin = pins.DacSync, DacSclkPin = pins.DacSclk, DacSdinPin = pins.DacSdin, DacSdoPin = pins.DacSdo,
            DacLdacPin = pins.DacLdac ?? -1, DacClrPin = pins.DacClr ?? -1,
            MuxEnPin = pins.MuxEn, MuxA0Pin = pins.MuxA0, MuxA1Pin = board.Role == Boards.BoardRole.Alice ? pins.MuxA1 : -1,
            TriggerInPin = pins.TriggerIn, ScopeSyncPin = pins.ScopeSync,
            ApdGateOutPin = pins.ApdGateOut ?? -1, Apd0LatchPin = pins.Apd0Latch ?? -1, Apd1LatchPin = pins.Apd1Latch ?? -1,
            LatchClearPin = board.Role == Boards.BoardRole.Bob ? pins.LatchClear ?? -1 : -1,
            SpiBus = board.Spi.Bus, SpiClockHz = (uint)board.Spi.ClockHz,
            DacRangeCode = (byte)board.Dac.Range,
            DacCoding = board.Dac.Coding == Ad5754BipolarCoding.TwosComplement ? DacCoding.TwosComplement : DacCoding.OffsetBinary,
            ChannelCodes = codes,
            GateDelayNs = (uint)(board.Gate?.DelayNs ?? 0), GateWidthNs = (uint)(board.Gate?.WidthNs ?? 0),
            TriggerEdge = board.TriggerEdge == Boards.TriggerEdge.Rising ? Wire.TriggerEdge.Rising : Wire.TriggerEdge.Falling,
            PulseEngine = board.PulseEngine == Boards.PulseEngineKind.Managed ? Wire.PulseEngineKind.Managed : Wire.PulseEngineKind.HardwareTimed,
        };
    }
}
