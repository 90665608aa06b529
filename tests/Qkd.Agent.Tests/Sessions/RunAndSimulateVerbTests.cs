using System.Text.Json;

namespace Qkd.Agent.Tests.Sessions;

public class RunAndSimulateVerbTests
{
    private static string Board(string name) => Path.Combine(SessionTestRig.RepoRoot, "boards", name);

    private static JsonElement LastJsonLine(string output) =>
        JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;

    [Fact]
    public void Simulate_json_ends_with_the_summary_line_and_stores_the_session()
    {
        var data = Directory.CreateTempSubdirectory("qkd-sim-").FullName;
        try
        {
            var (exit, output, error) = CliTests.Run("simulate", "--preset", "qd-2024", "--raw-bits", "20000", "--block-pulses", "5000000",
                "--seed", "5", "--data", data, "--json");

            Assert.True(exit == 0, error);
            var summary = LastJsonLine(output);
            foreach (var field in new[] { "pulses", "detections", "siftedBits", "rawKeyBits", "qber", "secretKeyBits", "keysMatch", "seconds" })
                Assert.True(summary.TryGetProperty(field, out _), $"missing {field}");
            Assert.True(summary.GetProperty("rawKeyBits").GetInt64() >= 20000);
            Assert.True(summary.GetProperty("keysMatch").GetBoolean());
            Assert.InRange(summary.GetProperty("qber").GetDouble(), 0.01, 0.04); // the preset's 2.54 %
            var session = Assert.Single(Directory.GetDirectories(data));
            Assert.Equal(summary.GetProperty("blocks").GetInt32(), File.ReadAllLines(Path.Combine(session, "blocks.jsonl")).Length);

            // The session folder is what `qkd report` reads, EOM drive trace included.
            var trace = File.ReadAllLines(Path.Combine(session, "eom-trace.csv"));
            Assert.Equal("timeNs,eomVolts,pulse", trace[0]);
            Assert.Equal(12, trace.Skip(1).Select(line => line.Split(',')[2]).Distinct().Count()); // Alice's 12 transitions
            var (reportExit, _, reportError) = CliTests.Run("report", session);
            Assert.True(reportExit == 0, reportError);
            Assert.True(File.Exists(Path.Combine(session, "eom-trace.png")));
        }
        finally
        {
            SessionTestRig.DeleteDirectory(data);
        }
    }

    [Fact]
    public void Run_on_emulated_boards_then_resume_to_more_blocks()
    {
        var data = Path.Combine(Directory.CreateTempSubdirectory("qkd-run-").FullName, "session");
        try
        {
            var (exit, output, error) = CliTests.Run("run", "--alice", "emulated", "--bob", "emulated", "--board-alice", Board("alice-esp32.json"),
                "--board-bob", Board("bob-esp32.json"), "--blocks", "2", "--block-pulses", "2000000", "--data", data, "--json");
            Assert.True(exit == 0, error);
            Assert.Equal(2, LastJsonLine(output).GetProperty("blocks").GetInt32());

            var again = CliTests.Run("run", "--alice", "emulated", "--bob", "emulated", "--board-alice", Board("alice-esp32.json"),
                "--board-bob", Board("bob-esp32.json"), "--data", data);
            Assert.Equal(2, again.Exit);
            Assert.Contains("--resume", again.Err);

            (exit, output, error) = CliTests.Run("run", "--resume", data, "--blocks", "3", "--json");
            Assert.True(exit == 0, error);
            Assert.Equal(3, LastJsonLine(output).GetProperty("blocks").GetInt32());
            var blocks = File.ReadAllLines(Path.Combine(data, "blocks.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("block").GetInt32());
            Assert.Equal([1, 2, 3], blocks);
        }
        finally
        {
            SessionTestRig.DeleteDirectory(Path.GetDirectoryName(data)!);
        }
    }

    [Fact]
    public void Run_with_a_stuck_rng_file_stops_with_the_health_test_named()
    {
        var root = Directory.CreateTempSubdirectory("qkd-rng-").FullName;
        try
        {
            var rng = Path.Combine(root, "stuck.bin");
            File.WriteAllBytes(rng, Enumerable.Repeat((byte)0xA5, 1 << 20).ToArray());
            var (exit, _, error) = CliTests.Run("run", "--alice", "emulated", "--bob", "emulated", "--board-alice", Board("alice-esp32.json"),
                "--board-bob", Board("bob-esp32.json"), "--blocks", "1", "--block-pulses", "100000", "--rng-file", rng, "--data", Path.Combine(root, "s"));

            Assert.Equal(4, exit);
            Assert.Contains("repetition count", error);
        }
        finally
        {
            SessionTestRig.DeleteDirectory(root);
        }
    }

    [Fact]
    public void Run_refuses_a_board_file_of_the_wrong_role()
    {
        var root = Directory.CreateTempSubdirectory("qkd-role-").FullName;
        try
        {
            var (exit, _, error) = CliTests.Run("run", "--alice", "emulated", "--bob", "emulated", "--board-alice", Board("bob-esp32.json"),
                "--board-bob", Board("bob-esp32.json"), "--data", Path.Combine(root, "s"));

            Assert.Equal(2, exit);
            Assert.Contains("not an Alice board", error);
        }
        finally
        {
            SessionTestRig.DeleteDirectory(root);
        }
    }
}
