using Qkd.Simulation.Emulation;
using Qkd.Simulation.Physics;

namespace Qkd.Agent.Sessions;

/// <summary>
/// The optics behind emulated boards, by name, with the post-processing each implies. The physics
/// presets (host/Qkd.Simulation/Physics: source, channel, EOM retardance from the emulated DAC and
/// amplifier, detectors with dark counts, dead time and afterpulsing) use the library defaults: rate-adaptive
/// reconciliation and the tomamichel-2012 finite-key profile (`--reconciliation paper --profile hbn-2023`
/// reproduces the hBN paper's chain). "ideal" is a noiseless channel for checking a bench or a link.
/// </summary>
public static class OpticsPresets
{
    public sealed record Preset(string Name, Func<IBlockOptics> Create, string Reconciler, string Profile, string Description);

    public static IReadOnlyList<Preset> All { get; } =
    [
        FromPhysics(PhysicsPresets.Get(PhysicsPresets.Hbn2023)),
        FromPhysics(PhysicsPresets.Get(PhysicsPresets.Qd2024)),
        new("ideal", () => new IdealChannelOptics(2e-3, 0), "adaptive", "tomamichel-2012",
            "noiseless channel: detection probability 2e-3 per pulse, no errors, EOM voltages ignored"),
    ];

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    public static Preset Get(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}': known are {string.Join(", ", Names)}");

    private static Preset FromPhysics(PhysicsPreset physics)
    {
        var expected = physics.Expectation;
        return new Preset(physics.Name, physics.CreateOptics, "adaptive", "tomamichel-2012",
            $"{physics.Description} (expected QBER {expected.Qber:P2})");
    }
}
