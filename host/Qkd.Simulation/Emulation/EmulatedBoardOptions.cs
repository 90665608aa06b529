using Qkd.Wire.Link;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// What an emulated board is, as its board file says (the agent fills this from boards/*.json): role,
/// name, the DAC's strapped coding and its LDAC/CLR pins (the register model listens on them), the
/// APD latch-clear pin, the amplifier gain, and the buffer sizes the firmware image allocates.
/// </summary>
public sealed class EmulatedBoardOptions
{
    /// <summary>Qkd.Wire BoardRole.</summary>
    public byte Role { get; init; }
    public string BoardId { get; init; } = "emulated";
    public bool TwosComplement { get; init; } = true;
    public int DacLdacPin { get; init; } = -1;
    public int DacClrPin { get; init; } = -1;
    public double AmplifierGain { get; init; } = 20.0;
    public int MaxPulsesPerBlock { get; init; } = 1_000_000;
    public int DetectionCapacity { get; init; } = 65_536;

    /// <summary>Highest trigger rate the emulated hardware-timed engine announces.</summary>
    public uint MaxPulseRateHz { get; init; } = 10_000_000;

    /// <summary>Link settings; the agent's end must use the same frame size.</summary>
    public LinkOptions Link { get; init; } = new();
}
