using System.Diagnostics;
using System.IO.Ports;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Agent.Verbs;

/// <summary>The board refused or the link failed; <see cref="ExitCode"/> is what `qkd bench dac` returns.</summary>
internal sealed class BenchDacLinkException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// `qkd bench dac --port`: the host end of the wire link over a serial port. Connects (Hello), sends the
/// board file's Configure and waits for the DAC read-backs, then BenchRun and waits for the BenchReport.
/// An Error from the board, a lost link or a timeout ends it with a clear message.
/// </summary>
internal static class BenchDacSerial
{
    public const int ExitLinkFailed = 3;
    public const int ExitBoardRefused = 4;

    public static BenchReportMessage Run(string portName, int baud, ConfigureMessage configure, BenchRunMessage run, TimeSpan timeout, TextWriter log)
    {
        using var port = new SerialPort(portName, baud) { ReadTimeout = 50, WriteTimeout = 2_000 };
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new BenchDacLinkException($"cannot open serial port {portName}: {e.Message}", ExitLinkFailed);
        }

        int ReadAvailable(byte[] buffer, int offset, int count)
        {
            var available = port.BytesToRead;
            return available > 0 ? port.Read(buffer, offset, Math.Min(available, count)) : 0;
        }

        return RunOverLink(portName, ReadAvailable, new PortTransport(port), configure, run, timeout, log);
    }

    /// <summary>
    /// The link conversation over any byte stream: <paramref name="readAvailable"/> returns what has
    /// arrived (0 when nothing, never blocks long), <paramref name="transport"/> writes frames.
    /// </summary>
    internal static BenchReportMessage RunOverLink(string portName, Func<byte[], int, int, int> readAvailable, ILinkTransport transport,
        ConfigureMessage configure, BenchRunMessage run, TimeSpan timeout, TextWriter log)
    {
        var listener = new Listener();
        var link = new ReliableLink(transport, listener, new LinkOptions());
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        long Now() => clock.ElapsedMilliseconds;

        void Pump(Func<bool> done, string waitingFor, TimeSpan limit)
        {
            var end = clock.Elapsed + limit;
            while (!done())
            {
                if (listener.Error is { } error)
                    throw new BenchDacLinkException($"the board refused ({waitingFor}): error {error.Code}: {error.Text}", ExitBoardRefused);
                if (link.State == LinkState.Lost)
                    throw new BenchDacLinkException($"link to {portName} lost while waiting for {waitingFor}", ExitLinkFailed);
                if (clock.Elapsed > end)
                    throw new BenchDacLinkException($"no {waitingFor} from the board on {portName} within {limit.TotalSeconds:0.#} s", ExitLinkFailed);
                var read = readAvailable(buffer, 0, buffer.Length);
                if (read > 0)
                {
                    link.OnBytesReceived(buffer, 0, read, Now());
                }
                else
                {
                    Thread.Sleep(1);
                }
                link.Poll(Now());
            }
        }

        var hello = new HelloMessage { ProtocolVersion = WireConstants.ProtocolVersion, FirmwareVersion = "qkd-bench", BoardId = "host" };
        link.Connect(hello, (ushort)Environment.TickCount, Now());
        Pump(() => link.State == LinkState.Connected, "link connection", TimeSpan.FromSeconds(5));
        log.WriteLine($"connected on {portName}; configuring");

        var channels = configure.ChannelCodes.Length;
        Pump(() => link.Send(configure, Now()), "send window for Configure", TimeSpan.FromSeconds(5));
        Pump(() => listener.Readbacks >= channels, "DAC read-backs after Configure", TimeSpan.FromSeconds(10));

        Pump(() => link.Send(run, Now()), "send window for BenchRun", TimeSpan.FromSeconds(5));
        Pump(() => listener.Report is not null, "BenchReport", timeout);
        return listener.Report!;
    }

    private sealed class PortTransport(SerialPort port) : ILinkTransport
    {
        public void Write(byte[] buffer, int offset, int count) => port.Write(buffer, offset, count);
    }

    private sealed class Listener : ILinkListener
    {
        public int Readbacks;
        public ErrorMessage? Error;
        public BenchReportMessage? Report;

        public void OnMessage(WireMessage message)
        {
            switch (message)
            {
                case DacReadbackMessage: Readbacks++; break;
                case ErrorMessage error: Error = error; break;
                case BenchReportMessage report: Report = report; break;
            }
        }

        public void OnRejected(byte type, ushort sequence, FrameError reason) { }

        public void OnUnacknowledged(WireMessage message) { }

        public void OnPeerLost(int unackedCount) { }

        public void OnPeerRestarted(int unackedCount) { }
    }
}
