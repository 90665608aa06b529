namespace Qkd.Agent.Boards;

/// <summary>Which GPIO numbers a nanoFramework target has, and which of them cannot drive an output.</summary>
internal sealed record McuPinRules(string Target, int MaxSpiBus, Func<int, string?> WhyNotUsable, Func<int, bool> InputOnly)
{
    public static readonly IReadOnlyDictionary<string, McuPinRules> Known = new Dictionary<string, McuPinRules>
    {
        // ESP32 (WROVER, PSRAM): GPIO 0..39; 6..11 are the SPI flash; 16/17 the PSRAM; 20, 24, 28..31 do not exist;
        // 34..39 are input only.
        ["ESP32_PSRAM_REV0"] = new("ESP32_PSRAM_REV0", 2,
            pin => pin switch
            {
                < 0 or > 39 => "ESP32 GPIO numbers are 0..39",
                >= 6 and <= 11 => "GPIO 6..11 are wired to the SPI flash",
                16 or 17 => "GPIO 16/17 are wired to the PSRAM on ESP32 WROVER modules",
                20 or 24 or (>= 28 and <= 31) => $"the ESP32 has no GPIO {pin}",
                _ => null,
            },
            pin => pin is >= 34 and <= 39),
        // STM32F769: nanoFramework numbers pins port * 16 + pin, ports A..K (K has 0..7 only).
        ["ST_STM32F769I_DISCOVERY"] = new("ST_STM32F769I_DISCOVERY", 6,
            pin => pin is < 0 or > 10 * 16 + 7 ? "STM32F769 pins are PA0..PK7 (0..167 as port*16+pin)" : null,
            _ => false),
    };

    public static string PortPinName(string target, int pin) =>
        target.StartsWith("ST_", StringComparison.Ordinal) ? $"P{(char)('A' + pin / 16)}{pin % 16}" : $"GPIO{pin}";
}
