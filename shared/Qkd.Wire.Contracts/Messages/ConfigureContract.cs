using MessagePack;
using Qkd.Wire;

namespace Qkd.Wire.Contracts;

/// <summary>Host contract of <see cref="ConfigureMessage"/>: Everything a board file says, sent before the first block. Pins are GPIO numbers, -1 = not connected.</summary>
[MessagePackObject]
public sealed class ConfigureContract : IWireContract
{
    [IgnoreMember]
    public byte Type => MessageType.Configure;

    /// <summary>BoardRole: 1 Alice, 2 Bob.</summary>
    [Key(0)]
    public byte Role { get; set; }

    /// <summary>AD5754 SYNC (chip select, active low).</summary>
    [Key(1)]
    public int DacSyncPin { get; set; }

    /// <summary>AD5754 SCLK.</summary>
    [Key(2)]
    public int DacSclkPin { get; set; }

    /// <summary>AD5754 SDIN (MOSI).</summary>
    [Key(3)]
    public int DacSdinPin { get; set; }

    /// <summary>AD5754 SDO (MISO), for read-back.</summary>
    [Key(4)]
    public int DacSdoPin { get; set; }

    /// <summary>AD5754 LDAC.</summary>
    [Key(5)]
    public int DacLdacPin { get; set; }

    /// <summary>AD5754 CLR (active low).</summary>
    [Key(6)]
    public int DacClrPin { get; set; }

    /// <summary>MUX36D04 EN (active high).</summary>
    [Key(7)]
    public int MuxEnPin { get; set; }

    /// <summary>MUX36D04 A0.</summary>
    [Key(8)]
    public int MuxA0Pin { get; set; }

    /// <summary>MUX36D04 A1 (unused on Bob: -1).</summary>
    [Key(9)]
    public int MuxA1Pin { get; set; }

    /// <summary>Laser pulse trigger input.</summary>
    [Key(10)]
    public int TriggerInPin { get; set; }

    /// <summary>APD gate output (Bob).</summary>
    [Key(11)]
    public int ApdGateOutPin { get; set; }

    /// <summary>APD0 click latch input (Bob).</summary>
    [Key(12)]
    public int Apd0LatchPin { get; set; }

    /// <summary>APD1 click latch input (Bob).</summary>
    [Key(13)]
    public int Apd1LatchPin { get; set; }

    /// <summary>Oscilloscope sync output.</summary>
    [Key(14)]
    public int ScopeSyncPin { get; set; }

    /// <summary>SPI bus number of the DAC.</summary>
    [Key(15)]
    public int SpiBus { get; set; }

    /// <summary>SPI clock for the DAC (AD5754: up to 30 MHz).</summary>
    [Key(16)]
    public uint SpiClockHz { get; set; }

    /// <summary>AD5754 output range code (register 001 bits 2..0), e.g. 4 = +-10 V.</summary>
    [Key(17)]
    public byte DacRangeCode { get; set; }

    /// <summary>DacCoding: 0 offset binary, 1 two's complement (BIN/2sCOMP pin).</summary>
    [Key(18)]
    public byte DacCoding { get; set; }

    /// <summary>16-bit DAC code per channel A, B, C, D (Alice: H, V, R, L; Bob: H/V, R/L).</summary>
    [Key(19)]
    public ushort[] ChannelCodes { get; set; } = [];

    /// <summary>APD gate delay after the trigger.</summary>
    [Key(20)]
    public uint GateDelayNs { get; set; }

    /// <summary>APD gate width (40 ns in the reference experiment).</summary>
    [Key(21)]
    public uint GateWidthNs { get; set; }

    /// <summary>TriggerEdge: 1 rising, 2 falling.</summary>
    [Key(22)]
    public byte TriggerEdge { get; set; }

    /// <summary>PulseEngineKind to use: 0 managed, 1 hardware-timed, 2 emulated.</summary>
    [Key(23)]
    public byte PulseEngine { get; set; }

    /// <summary>APD latch clear output (Bob; pins.latchClear of the board file). Appended last.</summary>
    [Key(24)]
    public int LatchClearPin { get; set; } = -1;
}
