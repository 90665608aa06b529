#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>Counters of one link endpoint since construction. Read them freely; only the link writes them.</summary>
    public sealed class LinkStatistics
    {
        /// <summary>Every frame written to the transport: data (first sends and resends) and control.</summary>
        public long FramesSent;

        /// <summary>Data frames sent again after a timeout or a Nack.</summary>
        public long FramesResent;

        /// <summary>Intact frames read from the transport, of any type.</summary>
        public long FramesReceived;

        /// <summary>Messages handed to the listener's OnMessage.</summary>
        public long MessagesDelivered;

        /// <summary>Data frames received again after delivery: acknowledged again, not delivered.</summary>
        public long Duplicates;

        /// <summary>Data frames dropped because an earlier one was missing (recovered by Nack or timeout).</summary>
        public long OutOfOrder;

        /// <summary>Data frames dropped because the application held every receive slot (the peer ignored our credits).</summary>
        public long Overruns;

        /// <summary>Data frames dropped because no Hello from the peer had started its sequence yet.</summary>
        public long Unsynchronised;

        /// <summary>Damaged frames (COBS, CRC, truncated, oversize, wrong version) skipped by the frame reader.</summary>
        public long BadFrames;

        /// <summary>Intact frames acknowledged but not delivered (unknown type or undecodable payload).</summary>
        public long Rejected;

        public long AcksSent;
        public long AcksReceived;
        public long NacksSent;
        public long NacksReceived;
        public long CreditsSent;
        public long CreditsReceived;

        /// <summary>Times the peer was declared lost.</summary>
        public long PeerLost;

        /// <summary>Retransmission rounds (timeouts and go-backs) this side ran.</summary>
        public long RetransmitRounds;

        /// <summary>Probes (Credit frames granting zero) sent to a peer that gave us no credit.</summary>
        public long ProbesSent;

        /// <summary>Probes received from the peer (each answered with an Ack).</summary>
        public long ProbesReceived;
    }
}
