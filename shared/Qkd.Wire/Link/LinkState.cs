#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>State of a link's send side (see README.md). No ToString on nanoFramework: compare, never print.</summary>
    public enum LinkState
    {
        /// <summary>Constructed, <see cref="ReliableLink.Connect"/> not called yet: Send refuses data.</summary>
        Idle = 0,

        /// <summary>Our Hello is out and not yet acknowledged: data is queued, not sent.</summary>
        Connecting = 1,

        /// <summary>The peer acknowledged our Hello: data flows as credits allow.</summary>
        Connected = 2,

        /// <summary>Retransmissions ran out: Send refuses data until Connect or the peer's next Hello.</summary>
        Lost = 3,
    }
}
