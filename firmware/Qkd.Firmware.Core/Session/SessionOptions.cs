#nullable disable
using Qkd.Wire.Link;

namespace Qkd.Firmware.Session
{
    /// <summary>Timers and sizes of a <see cref="BoardSession"/>; buffers are sized from these once.</summary>
    public sealed class SessionOptions
    {
        /// <summary>Heartbeat period (uptime and AD5754 alerts).</summary>
        public int HeartbeatMs = 1000;

        /// <summary>Longest a detection waits on the board before it goes out in a (partial) batch.</summary>
        public int BatchFlushMs = 50;

        /// <summary>BlockStatus progress period while a block runs.</summary>
        public int ProgressMs = 500;

        /// <summary>After the link declared the host lost, the board offers a new Hello this often.</summary>
        public int ReconnectMs = 2000;

        /// <summary>Outgoing messages the session keeps until the link's acknowledgement (batches included).</summary>
        public int OutboxSlots = 16;

        /// <summary>The reliable link's settings (AutoRelease is forced off: held chunks are the table credits).</summary>
        public LinkOptions Link = new LinkOptions();
    }
}
