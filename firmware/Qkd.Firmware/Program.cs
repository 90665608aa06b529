#nullable disable
using System.Threading;
using Qkd.Firmware.Boards;

namespace Qkd.Firmware
{
    /// <summary>
    /// Board entry point: routes the host UART for the board target chosen at build time
    /// (BoardTarget property in the .nfproj) and opens the host link. The Alice/Bob roles and the link
    /// session (issue 3 roles, issue 2 link) attach to <see cref="HostLink"/> when they land.
    /// </summary>
    public class Program
    {
        /// <summary>Enough for a few maximum-size frames between serial events.</summary>
        private const int ReceiveBufferBytes = 4096;

        public static HostSerialLink HostLink { get; private set; }

        public static void Main()
        {
            BoardTarget.ConfigurePinFunctions();
            HostLink = new HostSerialLink(BoardTarget.HostPortName, BoardTarget.HostBaudRate, ReceiveBufferBytes);
            HostLink.Open();

            // Everything else runs on pin, timer and serial events.
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
