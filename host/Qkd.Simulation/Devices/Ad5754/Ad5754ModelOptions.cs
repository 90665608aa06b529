namespace Qkd.Simulation.Devices.Ad5754;

/// <summary>Board straps and analog behaviour of the AD5754 model (datasheet typicals as defaults).</summary>
public sealed record Ad5754ModelOptions
{
    /// <summary>BIN/2sCOMP strap: true = two's complement for the bipolar ranges.</summary>
    public bool TwosComplement { get; init; } = true;

    public double ReferenceVolts { get; init; } = 2.5;

    /// <summary>Time for a full-scale step to settle within 1 LSB (16 bit): 10 us typical.</summary>
    public long FullScaleSettleNs { get; init; } = 10_000;

    /// <summary>Fastest SCLK the part accepts; faster frames are refused as malformed.</summary>
    public long MaxSclkHz { get; init; } = 30_000_000;
}
