using System.Text.Json.Nodes;
using Qkd.Agent.Boards;
using Qkd.Agent.Sessions;
using Qkd.Agent.Verbs;
using Qkd.Simulation.Emulation;
using Qkd.Wire;

namespace Qkd.Agent.Tests;

/// <summary>
/// The host fills Configure's latch-clear and scope-sync pins from the board file, on both paths that
/// build a Configure (sessions and `qkd bench dac`), and the firmware role takes them from there.
/// </summary>
public class BoardConfigurePinsTests
{
    public static TheoryData<string> ShippedBoards => BoardFileTests.ShippedBoards;

    [Theory]
    [MemberData(nameof(ShippedBoards))]
    public void Configure_carries_the_board_files_latch_clear_and_scope_sync_pins(string file)
    {
        var path = Path.Combine(BoardFileTests.BoardsDirectory, file);
        var pins = JsonNode.Parse(File.ReadAllText(path))!["pins"]!;
        var board = BoardFile.Load(path);
        var bob = board.Role == Boards.BoardRole.Bob;
        var expectedLatchClear = bob ? pins["latchClear"]!.GetValue<int>() : -1;
        var expectedScopeSync = pins["scopeSync"]!.GetValue<int>();

        var configure = BoardConfiguration.Configure(board);
        Assert.Equal(expectedLatchClear, configure.LatchClearPin);
        Assert.Equal(expectedScopeSync, configure.ScopeSyncPin);
        if (bob) Assert.True(expectedLatchClear >= 0, "a Bob board file must name its latch clear pin");
    }

    [Theory]
    [InlineData("bob-esp32.json")]
    [InlineData("bob-stm32f769i-disco.json")]
    public void A_bob_board_files_configure_gives_the_firmware_role_its_latch_clear_pin(string file)
    {
        var board = BoardFile.Load(Path.Combine(BoardFileTests.BoardsDirectory, file));
        using var emulated = new BenchBoard(BoardConfiguration.BenchSpec(board));

        emulated.Role.Configure(BoardConfiguration.Configure(board));

        Assert.Equal(board.Pins.LatchClear, emulated.Role.Pins.LatchClear);
        Assert.Equal(board.Pins.ScopeSync, emulated.Role.Pins.ScopeSync);
    }
}
