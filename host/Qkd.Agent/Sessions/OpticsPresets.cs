using Qkd.Simulation.Emulation;
using Qkd.Simulation.Physics;

namespace Qkd.Agent.Sessions;

/// <summary>
/// The optics behind emulated boards, by preset name, with the post-processing each preset implies.
/// THE ONE PLACE TO SWITCH: until the physics helper's presets land (host/Qkd.Simulation/Physics),
/// both names map to the ideal-channel stand-in with the preset's detection probability per pulse and
/// QBER (hbn-2023: 1e6 raw key bits from ~1.3e9 pulses, QBER ~6 %; qd-2024: misalignment 2.54 %).
/// </summary>
public static class OpticsPresets
{
    public sealed record Preset(string Name, Func<IBlockOptics> Create, string Reconciler, string Profile, string Description);

    public static IReadOnlyList<Preset> All { get; } =
    [
        new("hbn-2023", () => new IdealChannelOptics(1.7e-3, 0.06, 1e-4), "paper", "hbn-2023",
            "stand-in: detection probability 1.7e-3 per pulse, QBER 6 % (physics preset pending)"),
        new("qd-2024", () => new IdealChannelOptics(1.7e-3, 0.0254, 1e-4), "paper", "qd-2024",
            "stand-in: detection probability 1.7e-3 per pulse, QBER 2.54 % (physics preset pending)"),
    ];

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    public static Preset Get(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}': known are {string.Join(", ", Names)}");
}
