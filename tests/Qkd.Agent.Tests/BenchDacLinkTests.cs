using Qkd.Agent.Sessions;
using System.Diagnostics;
using Qkd.Agent.Boards;
using Qkd.Agent.Verbs;
using Qkd.Firmware.Session;
using Qkd.Simulation.Emulation;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Agent.Tests;

/// <summary>
/// The `--port` conversation without a serial port: the host side of `qkd bench dac` talks over an
/// in-memory byte pipe to the firmware's BoardSession running the bench routine on the emulated board.
/// </summary>
public class BenchDacLinkTests
{
    [Fact]
    public void Host_configures_the_board_runs_the_bench_and_gets_every_transition()
    {
        var board = BoardFile.Load(Path.Combine(BoardFileTests.BoardsDirectory, "alice-esp32.json"));
        using var emulated = new BenchBoard(BoardConfiguration.BenchSpec(board));
        using var remote = new RemoteBoard(emulated);

        var report = BenchDacSerial.RunOverLink("pipe", remote.ToHost.Read, remote.ToBoard, BoardConfiguration.Configure(board),
            new BenchRunMessage(500_000, 2, []), TimeSpan.FromSeconds(60), TextWriter.Null);

        Assert.Equal(12, report.Timings.Length);
        Assert.Equal((500_000u, 2u), (report.RateHz, report.Repeats));
        Assert.Equal(24, emulated.Measured.Count); // the routine really stepped the emulated MUX, twice per transition
        Assert.Equal(report.Timings.Select(t => (int)t.From), emulated.Measured.Where((_, i) => i % 2 == 0).Select(m => m.From));
    }

    [Fact]
    public void A_board_refusal_ends_with_exit_4_and_its_reason()
    {
        var board = BoardFile.Load(Path.Combine(BoardFileTests.BoardsDirectory, "bob-esp32.json"));
        using var emulated = new BenchBoard(BoardConfiguration.BenchSpec(board));
        using var remote = new RemoteBoard(emulated);
        var aliceConfigure = BoardConfiguration.Configure(BoardFile.Load(Path.Combine(BoardFileTests.BoardsDirectory, "alice-esp32.json")));

        var failure = Assert.Throws<BenchDacLinkException>(() => BenchDacSerial.RunOverLink("pipe", remote.ToHost.Read, remote.ToBoard,
            aliceConfigure, new BenchRunMessage(500_000, 1, []), TimeSpan.FromSeconds(30), TextWriter.Null));

        Assert.Equal(BenchDacSerial.ExitBoardRefused, failure.ExitCode);
        Assert.Contains("refused", failure.Message);
    }

    /// <summary>One direction of a byte pipe, safe across the two threads.</summary>
    private sealed class Pipe : ILinkTransport
    {
        private readonly Queue<byte> _bytes = new();

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_bytes) for (var i = 0; i < count; i++) _bytes.Enqueue(buffer[offset + i]);
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            lock (_bytes)
            {
                var n = 0;
                while (n < count && _bytes.Count > 0) buffer[offset + n++] = _bytes.Dequeue();
                return n;
            }
        }
    }

    /// <summary>The board's main loop (as Program.cs runs it) on its own thread.</summary>
    private sealed class RemoteBoard : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public RemoteBoard(BenchBoard board)
        {
            var session = new BoardSession(board.Role, board.Identity, ToHost, new SessionOptions()) { BenchRunner = board.Routine };
            var clock = Stopwatch.StartNew();
            _thread = new Thread(() =>
            {
                var buffer = new byte[512];
                session.Start(clock.ElapsedMilliseconds);
                while (!_stop)
                {
                    var n = ToBoard.Read(buffer, 0, buffer.Length);
                    if (n > 0) session.OnBytesReceived(buffer, 0, n, clock.ElapsedMilliseconds);
                    else Thread.Sleep(1);
                    session.Poll(clock.ElapsedMilliseconds);
                }
            }) { IsBackground = true, Name = "emulated board" };
            _thread.Start();
        }

        public Pipe ToHost { get; } = new();
        public Pipe ToBoard { get; } = new();

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
