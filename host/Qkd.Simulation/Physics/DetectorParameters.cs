namespace Qkd.Simulation.Physics;

/// <summary>One APD (both of Bob's are alike). Times in ns; see README.md for the model of each.</summary>
public sealed record DetectorParameters
{
    /// <summary>Probability that a photon reaching the APD clicks it, in (0, 1].</summary>
    public double Efficiency { get; init; } = 0.65;

    /// <summary>Dark count rate of one APD, counts/s; per gate p = 1 - exp(-rate * gate width).</summary>
    public double DarkCountsPerSecond { get; init; }

    /// <summary>Non-paralysable dead time after a click, ns: the APD cannot click in a gate that opens sooner.</summary>
    public double DeadTimeNs { get; init; }

    /// <summary>Probability that a click is followed by one afterpulse, in [0, 1).</summary>
    public double AfterpulseProbability { get; init; }

    /// <summary>Mean delay of an afterpulse after the dead time ends (exponential), ns.</summary>
    public double AfterpulseDecayNs { get; init; } = 100;

    internal void Validate()
    {
        Require(Efficiency > 0 && Efficiency <= 1, nameof(Efficiency), Efficiency, "must be in (0, 1]");
        Require(DarkCountsPerSecond >= 0 && double.IsFinite(DarkCountsPerSecond), nameof(DarkCountsPerSecond), DarkCountsPerSecond, "must be >= 0");
        Require(DeadTimeNs >= 0 && double.IsFinite(DeadTimeNs), nameof(DeadTimeNs), DeadTimeNs, "must be >= 0");
        Require(AfterpulseProbability >= 0 && AfterpulseProbability < 1, nameof(AfterpulseProbability), AfterpulseProbability, "must be in [0, 1)");
        Require(AfterpulseDecayNs > 0 && double.IsFinite(AfterpulseDecayNs), nameof(AfterpulseDecayNs), AfterpulseDecayNs, "must be > 0");
    }

    internal static void Require(bool ok, string name, double value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule} (got {value}).");
    }
}
