using System.Text.Json.Nodes;
using Qkd.Agent.Boards;
using Qkd.Firmware.Drivers;

namespace Qkd.Agent.Tests;

public class BoardFileTests
{
    internal static string BoardsDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "QkdEmbedded.sln"))) return Path.Combine(dir.FullName, "boards");
            throw new InvalidOperationException("repository root not found");
        }
    }

    internal static string[] ShippedBoardFiles => Directory.GetFiles(BoardsDirectory, "*.json")
        .Select(f => Path.GetFileName(f)).Where(f => f != "board.schema.json").Order().ToArray();

    public static TheoryData<string> ShippedBoards => new(ShippedBoardFiles);

    [Fact]
    public void Alice_and_bob_boards_for_esp32_and_stm32_are_shipped()
    {
        Assert.Subset(ShippedBoardFiles.ToHashSet(),
            new HashSet<string> { "alice-esp32.json", "alice-stm32f769i-disco.json", "bob-esp32.json", "bob-stm32f769i-disco.json" });
    }

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void Shipped_board_loads_and_its_channels_fit_the_dac(string file)
    {
        var board = BoardFile.Load(Path.Combine(BoardsDirectory, file));

        Assert.Equal(file.StartsWith("alice") ? BoardRole.Alice : BoardRole.Bob, board.Role);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), board.Name);
        Assert.Equal(board.Role == BoardRole.Alice ? 4 : 2, board.ChannelEomVolts.Count);
        foreach (var volts in board.ChannelDacVolts())
        {
            Assert.InRange(volts, Ad5754Conversion.MinVolts(board.Dac.Range, board.Dac.ReferenceVolts),
                Ad5754Conversion.MaxVolts(board.Dac.Range, board.Dac.ReferenceVolts));
            Ad5754Conversion.VoltsToCode(volts, board.Dac.Range, board.Dac.Coding, board.Dac.ReferenceVolts); // the driver accepts it
        }
        if (board.Role == BoardRole.Bob)
        {
            Assert.NotNull(board.Gate);
            Assert.NotNull(board.Pins.Apd0Latch);
            Assert.NotNull(board.Pins.Apd1Latch);
            Assert.NotNull(board.Pins.LatchClear);
        }
    }

    [Fact]
    public void Alice_eom_voltages_give_h_v_r_l()
    {
        var board = BoardFile.Load(Path.Combine(BoardsDirectory, "alice-esp32.json"));
        var vPi = board.EomHalfWaveVolts;
        Assert.Equal([vPi, 0.0, vPi / 2, -vPi / 2], board.ChannelEomVolts);
        Assert.Equal(vPi / board.AmplifierGain, board.ChannelDacVolts()[0], 9);
        Assert.Equal(Ad5754BipolarCoding.TwosComplement, board.Dac.Coding);
        Assert.Equal(5, board.Pins.DacSync);
    }

    public static TheoryData<string, string, string, string> BrokenVariants => new()
    {
        // base file, edit (path=value, or path=- to delete), field expected in the errors, words of the reason
        { "alice-esp32.json", "pins.dacSync=-", "$.pins.dacSync", "missing" },
        { "alice-esp32.json", "pins.muxA0=21", "$.pins.muxA0", "already used by $.pins.dacLdac" },
        { "alice-esp32.json", "pins.muxEn=35", "$.pins.muxEn", "input only" },
        { "alice-esp32.json", "pins.dacSclk=7", "$.pins.dacSclk", "SPI flash" },
        { "alice-esp32.json", "pins.dacSdin=\"23\"", "$.pins.dacSdin", "integer" },
        { "alice-esp32.json", "pins.dacSnyc=5", "$.pins.dacSnyc", "unknown field" },
        { "alice-esp32.json", "dac.range=\"unipolar10V\"", "$.channels.L", "outside its range" },
        { "alice-esp32.json", "dac.range=\"bipolar20V\"", "$.dac.range", "unknown value" },
        { "alice-esp32.json", "dac.coding=\"gray\"", "$.dac.coding", "unknown value" },
        { "alice-esp32.json", "amplifier.gain=15", "$.channels.H", "outside its range" },
        { "alice-esp32.json", "amplifier.gain=0", "$.amplifier.gain", "> 0" },
        { "alice-esp32.json", "channels.H=220", "$.channels.H", "beyond the amplifier output" },
        { "alice-esp32.json", "channels.R=-90", "$.channels.R", "swapped" },
        { "alice-esp32.json", "channels.V=-", "$.channels.V", "missing" },
        { "alice-esp32.json", "role=\"carol\"", "$.role", "unknown value" },
        { "alice-esp32.json", "mcu.target=\"ESP8266\"", "$.mcu.target", "unknown MCU target" },
        { "alice-esp32.json", "spi.clockHz=40000000", "$.spi.clockHz", "30 MHz" },
        { "alice-esp32.json", "spi.mode=0", "$.spi.mode", "mode 2" },
        { "alice-esp32.json", "eom=-", "$.eom", "missing" },
        { "alice-esp32.json", "trigger.edge=\"both\"", "$.trigger.edge", "unknown value" },
        { "alice-esp32.json", "pulseEngine=\"dma\"", "$.pulseEngine", "unknown value" },
        { "bob-esp32.json", "gate.widthNs=0", "$.gate.widthNs", "gate width must be > 0" },
        { "bob-esp32.json", "gate.delayNs=-5", "$.gate.delayNs", "out of range" },
        { "bob-esp32.json", "gate=-", "$.gate", "missing" },
        { "bob-esp32.json", "pins.apd0Latch=-", "$.pins.apd0Latch", "missing" },
        { "bob-esp32.json", "channels.H=0", "$.channels.H", "unknown field" },
        { "bob-stm32f769i-disco.json", "pins.scopeSync=170", "$.pins.scopeSync", "PA0..PK7" },
        { "bob-stm32f769i-disco.json", "spi.bus=7", "$.spi.bus", "out of range" },
    };

    [Theory]
    [MemberData(nameof(BrokenVariants))]
    public void Broken_board_is_refused_with_the_field_and_reason(string file, string edit, string field, string reason)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(BoardsDirectory, file)))!.AsObject();
        Apply(json, edit);

        var error = Assert.Throws<BoardFileException>(() => BoardFile.Parse(json.ToJsonString(), file));

        Assert.Contains(error.Errors, e => e.Field == field && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Contains(field, error.Message);
        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void Truncated_file_is_refused_as_invalid_json()
    {
        var text = File.ReadAllText(Path.Combine(BoardsDirectory, "bob-esp32.json"));
        var error = Assert.Throws<BoardFileException>(() => BoardFile.Parse(text[..(text.Length / 2)], "bob-esp32.json"));
        Assert.Contains("not valid JSON", error.Errors.Single().Reason);
    }

    [Fact]
    public void Missing_file_is_refused_with_its_path()
    {
        var path = Path.Combine(BoardsDirectory, "no-such-board.json");
        var error = Assert.Throws<BoardFileException>(() => BoardFile.Load(path));
        Assert.Contains("no-such-board.json", error.Message);
    }

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(BoardsDirectory, "bob-esp32.json")))!.AsObject();
        Apply(json, "spi.clockHz=50000000");
        Apply(json, "gate.widthNs=-1");
        var error = Assert.Throws<BoardFileException>(() => BoardFile.Parse(json.ToJsonString()));
        Assert.Equal(["$.gate.widthNs", "$.spi.clockHz"], error.Errors.Select(e => e.Field).Order());
    }

    private static void Apply(JsonObject root, string edit)
    {
        var (path, value) = (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 1)..]);
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1]) parent = parent[part]!.AsObject();
        if (value == "-") parent.Remove(parts[^1]);
        else parent[parts[^1]] = JsonNode.Parse(value);
    }
}
