using System.Text.Json;
using Qkd.Firmware.Drivers;

namespace Qkd.Agent.Boards;

public enum BoardRole { Alice, Bob }

public enum TriggerEdge { Rising, Falling }

public enum PulseEngineKind { Managed, HardwareTimed }

/// <summary>GPIO numbers as the firmware opens them; null = not wired (LDAC tied low, CLR tied high, no APDs on Alice).</summary>
public sealed record BoardPins(
    int DacSync, int DacSclk, int DacSdin, int DacSdo, int? DacLdac, int? DacClr,
    int MuxEn, int MuxA0, int MuxA1, int TriggerIn, int ScopeSync,
    int? ApdGateOut, int? Apd0Latch, int? Apd1Latch, int? LatchClear);

public sealed record SpiBusSettings(int Bus, int ClockHz, int Mode);

public sealed record DacSettings(Ad5754OutputRange Range, Ad5754BipolarCoding Coding, double ReferenceVolts);

public sealed record GateSettings(int DelayNs, int WidthNs);

/// <summary>
/// A controller board (boards/*.json): MCU target, role, wiring, SPI, DAC range and coding, the EOM
/// voltage of each channel, amplifier gain, EOM half-wave voltage, gate timing. <see cref="Load"/>
/// refuses a wrong or incomplete file with the JSON path of every bad field and the reason.
/// </summary>
public sealed record BoardFile(
    string Name,
    BoardRole Role,
    string McuTarget,
    BoardPins Pins,
    SpiBusSettings Spi,
    DacSettings Dac,
    IReadOnlyList<double> ChannelEomVolts,
    double AmplifierGain,
    double AmplifierClampVolts,
    double EomHalfWaveVolts,
    GateSettings? Gate,
    TriggerEdge TriggerEdge,
    PulseEngineKind PulseEngine)
{
    /// <summary>Channel names in DAC/MUX channel order: Alice H V R L (table codes 0..3), Bob one per basis.</summary>
    public static IReadOnlyList<string> ChannelNames(BoardRole role) => role == BoardRole.Alice ? ["H", "V", "R", "L"] : ["HV", "RL"];

    /// <summary>The DAC output for each channel: EOM volts / amplifier gain.</summary>
    public double[] ChannelDacVolts() => ChannelEomVolts.Select(v => v / AmplifierGain).ToArray();

    public static BoardFile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BoardFileException(path, [new BoardFileError("$", "cannot read the file: " + e.Message)]);
        }
        return Parse(json, path);
    }

    public static BoardFile Parse(string json, string source = "(text)")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new BoardFileException(source, [new BoardFileError(e.Path ?? "$", $"not valid JSON (line {e.LineNumber + 1}): {e.Message}")]);
        }
        using (document)
        {
            var errors = new List<BoardFileError>();
            var board = BoardFileReader.Read(document.RootElement, errors);
            if (errors.Count > 0 || board is null) throw new BoardFileException(source, errors);
            return board;
        }
    }
}
