#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>
    /// What a <see cref="ReliableLink"/> tells its application. Calls arrive on the thread that called
    /// the link; the link's state is consistent at every call, so a listener may call back into it
    /// (for example to re-send what <see cref="OnUnacknowledged"/> handed back).
    /// </summary>
    public interface ILinkListener
    {
        /// <summary>
        /// A message from the peer: each data message exactly once and in sequence order, the peer's
        /// Hello when it (re)starts its side, and every Heartbeat that arrives intact (unsequenced).
        /// </summary>
        void OnMessage(WireMessage message);

        /// <summary>
        /// An intact, in-sequence frame whose type is unknown (<see cref="FrameError.UnknownType"/>) or
        /// whose payload does not decode (<see cref="FrameError.Payload"/>). It was acknowledged, since
        /// re-sending the same bytes cannot help, but is not delivered.
        /// </summary>
        void OnRejected(byte type, ushort sequence, FrameError reason);

        /// <summary>
        /// One message this side sent (or queued) that the peer never acknowledged, in send order. Called
        /// when the link gives the messages up: just before <see cref="OnPeerLost"/>, before
        /// <see cref="OnPeerRestarted"/>, and from <see cref="ReliableLink.Connect"/>.
        /// </summary>
        void OnUnacknowledged(WireMessage message);

        /// <summary>
        /// Retransmissions ran out: the send side is now <see cref="LinkState.Lost"/>. The
        /// <paramref name="unackedCount"/> messages were reported by <see cref="OnUnacknowledged"/>.
        /// </summary>
        void OnPeerLost(int unackedCount);

        /// <summary>
        /// The peer sent a new Hello while this side was synchronised or lost: it restarted, so the link
        /// restarted its own send side too (with a new Hello). The <paramref name="unackedCount"/>
        /// messages it gave up were reported by <see cref="OnUnacknowledged"/>; send them again if needed.
        /// </summary>
        void OnPeerRestarted(int unackedCount);
    }
}
