#nullable disable
using System;

namespace Qkd.Wire.Link
{
    /// <summary>Sizes and timers of a <see cref="ReliableLink"/>. All buffers are sized from these once, at construction.</summary>
    public sealed class LinkOptions
    {
        /// <summary>Largest message payload either side sends.</summary>
        public int MaxPayloadBytes = WireConstants.MaxPayloadBytes;

        /// <summary>Slots of the send ring: data messages queued or in flight, unacknowledged.</summary>
        public int SendWindow = 8;

        /// <summary>Receive queue size: the credits this side grants, minus messages the application still holds.</summary>
        public int ReceiveCapacity = 8;

        /// <summary>
        /// True: a delivered message frees its receive slot as soon as OnMessage returns. False: the
        /// application calls <see cref="ReliableLink.Release"/> when it has consumed messages (back-pressure).
        /// </summary>
        public bool AutoRelease = true;

        /// <summary>
        /// Time without an acknowledgement after which every unacknowledged frame is sent again. Must
        /// exceed the time a full window takes on the wire plus the peer's reply: 8 frames of 1 KiB
        /// take about 0.7 s at 115200 baud.
        /// </summary>
        public int RetransmitTimeoutMs = 1000;

        /// <summary>
        /// Retransmission rounds (or unanswered probes of a peer that gave no credit) without progress
        /// after which the peer is declared lost. See <see cref="PeerLostAfterMs"/> for the time that takes.
        /// </summary>
        public int MaxRetransmits = 5;

        /// <summary>
        /// Exponential backoff: each retransmission round (or probe) without progress doubles the wait,
        /// up to 2^RetransmitBackoffLimit x RetransmitTimeoutMs (4: 16 x). 0 keeps the timeout constant.
        /// Progress (an acknowledgement, or an answer to a probe) returns to RetransmitTimeoutMs.
        /// </summary>
        public int RetransmitBackoffLimit = 4;

        /// <summary>Minimum time between two Nacks for the same gap, and between two go-backs on the same Nack.</summary>
        public int NackHoldoffMs = 100;

        /// <summary>Wait before retransmission round <paramref name="round"/> (0 = the first transmission's timeout).</summary>
        public long RetryTimeoutMs(int round)
        {
            return (long)RetransmitTimeoutMs << (round < RetransmitBackoffLimit ? round : RetransmitBackoffLimit);
        }

        /// <summary>
        /// Upper bound of the time from the last acknowledged progress (or the last answer to a probe)
        /// to OnPeerLost, one poll interval aside: the waits of rounds 0..MaxRetransmits added up.
        /// Defaults: 1 + 2 + 4 + 8 + 16 + 16 = 47 s.
        /// </summary>
        public long PeerLostAfterMs()
        {
            long total = 0;
            for (int round = 0; round <= MaxRetransmits; round++)
            {
                total += RetryTimeoutMs(round);
            }
            return total;
        }

        internal void Validate()
        {
            if (MaxPayloadBytes < 16 || MaxPayloadBytes > 65535)
            {
                throw new ArgumentException("MaxPayloadBytes must be 16..65535");
            }
            if (SendWindow < 1 || SendWindow > 4096)
            {
                throw new ArgumentException("SendWindow must be 1..4096");
            }
            if (ReceiveCapacity < 1 || ReceiveCapacity > 4096)
            {
                throw new ArgumentException("ReceiveCapacity must be 1..4096");
            }
            if (RetransmitTimeoutMs < 1 || MaxRetransmits < 1 || NackHoldoffMs < 0)
            {
                throw new ArgumentException("RetransmitTimeoutMs and MaxRetransmits must be positive, NackHoldoffMs not negative");
            }
            if (RetransmitBackoffLimit < 0 || RetransmitBackoffLimit > 16 || MaxRetransmits > 1000)
            {
                throw new ArgumentException("RetransmitBackoffLimit must be 0..16 and MaxRetransmits at most 1000");
            }
        }
    }
}
