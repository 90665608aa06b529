using System.IO.Ports;
using System.Net;
using System.Net.Sockets;
using Qkd.Agent.Boards;
using Qkd.Simulation.Emulation;
using Qkd.Simulation.Physics;
using Qkd.Wire.Link;

namespace Qkd.Agent.Sessions;

/// <summary>
/// Alice's and Bob's connections, opened from `--alice/--bob` endpoints: `emulated` (an emulated board
/// over an in-memory duplex stream), `emulated:tcp` (the same behind a TCP loopback socket), `emulated:pty` (behind a
/// pseudo-terminal the agent opens as a serial port),
/// `tcp://HOST:PORT`, or a serial port name (COM3, /dev/ttyACM0; 115200 baud 8N1). Emulated boards
/// share one <see cref="EmulatedOpticalBench"/> with the given optics.
/// </summary>
public sealed class BoardSet : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private BoardSet() { }

    public required BoardConnection Alice { get; init; }
    public required BoardConnection Bob { get; init; }
    public EmulatedOpticalBench? Bench { get; private init; }
    public EmulatedBoard? AliceBoard { get; private set; }
    public EmulatedBoard? BobBoard { get; private set; }

    /// <summary>The in-memory wires of emulated boards (fault injection in tests).</summary>
    public InMemoryDuplex? AliceWire { get; private set; }
    public InMemoryDuplex? BobWire { get; private set; }

    /// <summary>Link settings for emulated boards: larger frames than a UART board's 1 KiB, short timers.</summary>
    public static LinkOptions EmulatedLink() => new()
    {
        MaxPayloadBytes = 16384, SendWindow = 16, ReceiveCapacity = 16, RetransmitTimeoutMs = 300, MaxRetransmits = 10, NackHoldoffMs = 20,
    };

    public static bool IsEmulated(string endpoint) => endpoint.StartsWith("emulated", StringComparison.Ordinal);

    public static BoardSet Open(string aliceEndpoint, string bobEndpoint, BoardFile aliceBoard, BoardFile bobBoard, int blockPulses,
        Func<IBlockOptics> optics, ulong seed, LinkOptions? emulatedLink = null)
    {
        var bench = IsEmulated(aliceEndpoint) || IsEmulated(bobEndpoint) ? new EmulatedOpticalBench(optics(), seed) : null;
        var owned = new List<IDisposable>();
        try
        {
            var (aliceConnection, aliceEmulated, aliceWire) = OpenOne("alice", aliceEndpoint, aliceBoard, blockPulses, bench, emulatedLink ?? EmulatedLink(), owned);
            var (bobConnection, bobEmulated, bobWire) = OpenOne("bob", bobEndpoint, bobBoard, blockPulses, bench, emulatedLink ?? EmulatedLink(), owned);
            var set = new BoardSet { Alice = aliceConnection, Bob = bobConnection, Bench = bench };
            set.AliceBoard = aliceEmulated;
            set.BobBoard = bobEmulated;
            set.AliceWire = aliceWire;
            set.BobWire = bobWire;
            set._owned.AddRange(owned);
            return set;
        }
        catch
        {
            foreach (var d in Enumerable.Reverse(owned)) d.Dispose();
            throw;
        }
    }

    private static (BoardConnection, EmulatedBoard?, InMemoryDuplex?) OpenOne(string name, string endpoint, BoardFile board, int blockPulses,
        EmulatedOpticalBench? bench, LinkOptions emulatedLink, List<IDisposable> owned)
    {
        if (endpoint == "emulated:pty")
        {
            var options = BoardConfiguration.Emulated(board, blockPulses, Math.Max(65_536, blockPulses / 50), emulatedLink);
            var pty = PseudoTerminal.TryOpen() ?? throw new IOException("no pseudo-terminal (openpty) on this system");
            owned.Add(pty);
            var ptyBoard = new EmulatedBoard(bench!, options, pty.Master);
            owned.Add(ptyBoard);
            ptyBoard.Start();
            var ptyPort = new SerialPort(pty.SlavePath, 115200, Parity.None, 8, StopBits.One) { ReadTimeout = SerialPort.InfiniteTimeout };
            ptyPort.Open();
            owned.Add(ptyPort);
            var ptyConnection = new BoardConnection(name, ptyPort.BaseStream, emulatedLink);
            owned.Add(ptyConnection);
            return (ptyConnection, ptyBoard, null);
        }
        if (endpoint == "emulated" || endpoint == "emulated:tcp")
        {
            var options = BoardConfiguration.Emulated(board, blockPulses, Math.Max(65_536, blockPulses / 50), emulatedLink);
            if (endpoint == "emulated")
            {
                var wire = new InMemoryDuplex();
                var emulated = new EmulatedBoard(bench!, options, wire.BoardEnd);
                owned.Add(emulated);
                emulated.Start();
                var connection = new BoardConnection(name, wire.HostEnd, emulatedLink);
                owned.Add(connection);
                return (connection, emulated, wire);
            }
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var accept = listener.AcceptTcpClientAsync();
            var client = new TcpClient { NoDelay = true };
            client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = accept.GetAwaiter().GetResult();
            server.NoDelay = true;
            listener.Stop();
            var tcpBoard = new EmulatedBoard(bench!, options, server.GetStream());
            owned.Add(tcpBoard);
            owned.Add(server);
            tcpBoard.Start();
            var tcpConnection = new BoardConnection(name, client.GetStream(), emulatedLink);
            owned.Add(tcpConnection);
            owned.Add(client);
            return (tcpConnection, tcpBoard, null);
        }
        if (endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var uri = new Uri(endpoint);
            var client = new TcpClient { NoDelay = true };
            client.Connect(uri.Host, uri.Port);
            owned.Add(client);
            var connection = new BoardConnection(name, client.GetStream(), new LinkOptions());
            owned.Add(connection);
            return (connection, null, null);
        }
        var port = new SerialPort(endpoint, 115200, Parity.None, 8, StopBits.One) { ReadTimeout = SerialPort.InfiniteTimeout };
        port.Open();
        owned.Add(port);
        var serial = new BoardConnection(name, port.BaseStream, new LinkOptions());
        owned.Add(serial);
        return (serial, null, null);
    }

    public void Dispose()
    {
        AliceWire?.Close();
        BobWire?.Close();
        foreach (var d in Enumerable.Reverse(_owned))
        {
            try { d.Dispose(); } catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
        }
    }
}
