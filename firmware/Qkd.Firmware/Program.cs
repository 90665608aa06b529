#nullable disable
using System;
using System.Device.Gpio;
using System.IO.Ports;
using System.Threading;
using Qkd.Firmware.Bench;
using Qkd.Firmware.Boards;
using Qkd.Firmware.Platform;
using Qkd.Firmware.Roles;
using Qkd.Firmware.Session;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware
{
    /// <summary>
    /// The board application: one role (this image's board), one BoardSession on the host serial port,
    /// and a loop that feeds received bytes to the session and polls it every millisecond. Build one
    /// image per board: the MCU target (host UART, pin routing) comes from BoardTarget (the .nfproj's
    /// BoardTarget property); set BoardId and Role below from the board file (boards/*.json). Every pin
    /// (DAC, MUX, trigger, APD gate/latches/latch clear, scope sync) arrives in the host's Configure.
    /// </summary>
    public class Program
    {
        private const string BoardId = "bob-esp32";
        private const byte Role = BoardRole.Bob;

        public static void Main()
        {
            BoardIdentity identity = new BoardIdentity();
            identity.BoardId = BoardId;
            identity.Role = Role;

            GpioController gpio = new GpioController();
            // No hardware trigger counter is wired up yet: the managed engine then counts the triggers
            // that arrive while it is busy as missed (see ManagedPulseEngine).
            BoardHardware hardware = new BoardHardware(gpio, null);
            PulseRole role = Role == BoardRole.Alice ? (PulseRole)new AliceRole(hardware, identity) : new BobRole(hardware, identity);

            BoardTarget.ConfigurePinFunctions();
            SerialPort port = new SerialPort(BoardTarget.HostPortName, BoardTarget.HostBaudRate);
            port.Open();
            BoardSession session = new BoardSession(role, identity, new SerialTransport(port), new SessionOptions());
            session.BenchRunner = new BenchRoutine(role, gpio, new SelfTimedBenchPacer());
            new SessionLoop(session, port).Run();
        }
    }

    /// <summary>Writes the link's frames to the serial port.</summary>
    internal sealed class SerialTransport : ILinkTransport
    {
        private readonly SerialPort _port;

        public SerialTransport(SerialPort port)
        {
            _port = port;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }

    /// <summary>The thin thread wrapper: reads what the port has, hands it to the session, polls the timers.</summary>
    internal sealed class SessionLoop
    {
        private const int TicksPerMs = 10000;
        private readonly BoardSession _session;
        private readonly SerialPort _port;
        private readonly byte[] _readBuffer = new byte[512];

        public SessionLoop(BoardSession session, SerialPort port)
        {
            _session = session;
            _port = port;
        }

        public void Run()
        {
            _session.Start(NowMs());
            while (true)
            {
                try
                {
                    RunOnce();
                }
                catch (Exception)
                {
                    // The board must stay reachable: a fault in one round is counted, the loop goes on.
                    Faults++;
                    Thread.Sleep(10);
                }
            }
        }

        /// <summary>Rounds that ended in an exception (readable with the debugger).</summary>
        public int Faults;

        private void RunOnce()
        {
            int waiting = _port.BytesToRead;
            if (waiting > 0)
            {
                int count = _port.Read(_readBuffer, 0, waiting < _readBuffer.Length ? waiting : _readBuffer.Length);
                _session.OnBytesReceived(_readBuffer, 0, count, NowMs());
            }
            else
            {
                Thread.Sleep(1);
            }
            _session.Poll(NowMs());
        }

        private static long NowMs()
        {
            return TickSource.Now / TicksPerMs;
        }
    }
}
