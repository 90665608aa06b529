#nullable disable
using System;
using System.Collections;

namespace Qkd.Wire.Link
{
    /// <summary>Send side: the ring of unacknowledged frames, credits, the retransmission timer.</summary>
    public sealed partial class ReliableLink
    {
        private LinkState _state = LinkState.Idle;
        private WireMessage _hello;

        // Sequence of our current Hello; our Acks and Nacks carry it in their header sequence field.
        private ushort _localEpoch;

        // Highest sequence number the peer's credits allow us to have sent (starts at our Hello's).
        private ushort _creditEdge;

        // One timer for the oldest unacknowledged frame; it runs exactly while frames are in flight.
        private bool _timerRunning;
        private long _retransmitDeadline;

        // Retransmission rounds (timeouts and go-backs on Nack) since the last acknowledged progress.
        private int _retries;

        // The peer's own send epoch, as its Acks state it (their header sequence field). A peer Hello
        // with this epoch crossed our Hello; a Hello with another one means the peer restarted.
        private bool _peerEpochFromAcksKnown;
        private ushort _peerEpochFromAcks;

        // Probing a peer that gave us no credit: nothing is in flight then, so no retransmission timer
        // runs, and without probes a silent peer would never be noticed.
        private bool _probeArmed;
        private long _probeDeadline;
        private int _probesUnanswered;

        private bool _goBackRecorded;
        private ushort _lastGoBackSequence;
        private long _lastGoBackMs;

        /// <summary>Clears the ring and sends our Hello as the first frame of a new sequence epoch.</summary>
        private void StartSendEpoch(ushort epoch, long nowMs)
        {
            _ring.Clear(epoch);
            _localEpoch = epoch;
            _creditEdge = epoch; // the Hello needs no credit; data waits for the peer's first grant
            ResetRetryState();
            _peerEpochFromAcksKnown = false;
            _state = LinkState.Idle;
            int length = _frameWriter.Write(_hello, epoch, _ring.TailBuffer, 0);
            _ring.Append(MessageType.Hello, length);
            _state = LinkState.Connecting;
            TransmitWithinCredit(nowMs);
        }

        /// <summary>Writes queued frames for the first time, oldest first, while the peer's credits allow.</summary>
        private void TransmitWithinCredit(long nowMs)
        {
            while (_ring.QueuedCount > 0)
            {
                int index = _ring.SentCount;
                if (SequenceNumber.IsAfter(_ring.SequenceAt(index), _creditEdge))
                {
                    return;
                }
                _ring.MarkNextSent();
                if (!_timerRunning)
                {
                    _timerRunning = true;
                    _retransmitDeadline = nowMs + _options.RetryTimeoutMs(_retries);
                }
                WriteFrame(_ring.FrameAt(index), _ring.LengthAt(index));
            }
        }

        /// <summary>An Ack: cumulative acknowledgement plus a credit grant; its header sequence is the peer's send epoch.</summary>
        private void OnAck(ushort acked, ulong credits, ushort peerEpoch, long nowMs)
        {
            if (OnGrant(acked, credits, nowMs))
            {
                _peerEpochFromAcksKnown = true;
                _peerEpochFromAcks = peerEpoch;
            }
        }

        /// <summary>
        /// Ack or Credit (whose header sequence is the cumulative ack it counts from): acknowledges and
        /// moves the credit edge. False when the ack is stale or bogus and was ignored.
        /// </summary>
        private bool OnGrant(ushort acked, ulong credits, long nowMs)
        {
            if (_state == LinkState.Idle || _state == LinkState.Lost)
            {
                return false;
            }
            int progress = SequenceNumber.Distance(_ring.HeadSequence, acked) + 1;
            if (progress < 0 || progress > _ring.SentCount)
            {
                return false; // older than what is already acknowledged, or beyond anything sent
            }
            if (progress > 0)
            {
                AcknowledgeOldest(progress, nowMs);
            }
            _probeArmed = false; // the peer answered: it is alive, whatever its credits
            _probesUnanswered = 0;
            int grant = credits > MaxCreditGrant ? MaxCreditGrant : (int)credits;
            ushort edge = SequenceNumber.Add(acked, grant);
            if (SequenceNumber.IsAfter(edge, _creditEdge))
            {
                _creditEdge = edge; // edges only grow: a reordered older grant never shrinks the window
            }
            TransmitWithinCredit(nowMs);
            return true;
        }

        /// <summary>The peer expects <paramref name="expected"/>: everything before arrived, the rest is sent again at once.</summary>
        private void OnNack(ushort expected, long nowMs)
        {
            if (_state == LinkState.Idle || _state == LinkState.Lost)
            {
                return;
            }
            int progress = SequenceNumber.Distance(_ring.HeadSequence, expected);
            if (progress < 0 || progress > _ring.SentCount)
            {
                return;
            }
            if (progress > 0)
            {
                AcknowledgeOldest(progress, nowMs);
            }
            if (_ring.SentCount == 0)
            {
                TransmitWithinCredit(nowMs);
                return;
            }
            if (_goBackRecorded && _lastGoBackSequence == _ring.HeadSequence && nowMs - _lastGoBackMs < _nackHoldoffMs)
            {
                return; // this gap was just re-sent; the Nack is an echo of the same loss
            }
            RetransmitOrGiveUp(nowMs);
        }

        private void AcknowledgeOldest(int count, long nowMs)
        {
            if (_state == LinkState.Connecting)
            {
                _state = LinkState.Connected; // while connecting, the oldest frame is our Hello
            }
            _ring.RemoveAcknowledged(count);
            _retries = 0;
            _goBackRecorded = false;
            _timerRunning = _ring.SentCount > 0;
            _retransmitDeadline = nowMs + _options.RetransmitTimeoutMs;
        }

        private void OnRetransmitTimeout(long nowMs)
        {
            RetransmitOrGiveUp(nowMs);
        }

        /// <summary>Go-back-N: sends every in-flight frame again, unless the retries are used up.</summary>
        private void RetransmitOrGiveUp(long nowMs)
        {
            if (_retries >= _options.MaxRetransmits)
            {
                DeclarePeerLost();
                return;
            }
            _retries++;
            _goBackRecorded = true;
            _lastGoBackSequence = _ring.HeadSequence;
            _lastGoBackMs = nowMs;
            _timerRunning = true;
            _retransmitDeadline = nowMs + _options.RetryTimeoutMs(_retries); // exponential backoff, capped
            _statistics.RetransmitRounds++;
            // Re-read the count each time: a transport that answers synchronously may shrink the ring.
            for (int i = 0; i < _ring.SentCount; i++)
            {
                _statistics.FramesResent++;
                WriteFrame(_ring.FrameAt(i), _ring.LengthAt(i));
            }
        }

        /// <summary>
        /// Frames wait for credit and none is in flight: after each (backed-off) timeout, send a probe (a
        /// Credit frame granting zero, which asks the peer for an Ack). A live peer answers even while
        /// it still grants nothing; after MaxRetransmits unanswered probes the peer is lost.
        /// </summary>
        private void ProbeIfBlocked(long nowMs)
        {
            bool blocked = _state == LinkState.Connected && _ring.SentCount == 0 && _ring.QueuedCount > 0;
            if (!blocked)
            {
                _probeArmed = false;
                _probesUnanswered = 0;
                return;
            }
            if (!_probeArmed)
            {
                _probeArmed = true;
                _probeDeadline = nowMs + _options.RetryTimeoutMs(0);
                return;
            }
            if (nowMs < _probeDeadline)
            {
                return;
            }
            if (_probesUnanswered >= _options.MaxRetransmits)
            {
                DeclarePeerLost();
                return;
            }
            _probesUnanswered++;
            _probeDeadline = nowMs + _options.RetryTimeoutMs(_probesUnanswered);
            _statistics.ProbesSent++;
            // The sequence field is our cumulative ack, for the reader of a capture; the peer ignores it.
            WriteControl(MessageType.Credit, SequenceNumber.Add(_expected, -1), 1, 0, 0);
        }

        private void DeclarePeerLost()
        {
            ArrayList dropped = TakeUnacknowledged();
            _state = LinkState.Lost;
            _statistics.PeerLost++;
            _listener.OnPeerLost(Report(dropped));
        }

        /// <summary>
        /// Empties the ring and decodes the data messages it held (our Hello excluded), so the caller
        /// can report them after the link's state is settled. Allocates, but only when giving up.
        /// </summary>
        private ArrayList TakeUnacknowledged()
        {
            ArrayList dropped = null;
            for (int i = 0; i < _ring.Count; i++)
            {
                if (_ring.TypeAt(i) == MessageType.Hello)
                {
                    continue;
                }
                WireMessage message = DecodeStoredFrame(_ring.FrameAt(i), _ring.LengthAt(i));
                if (message != null)
                {
                    if (dropped == null)
                    {
                        dropped = new ArrayList();
                    }
                    dropped.Add(message);
                }
            }
            _ring.Clear(_ring.NextSequence);
            ResetRetryState();
            return dropped;
        }

        /// <summary>No frame in flight any more: stops the retransmission timer and probing, forgets past rounds.</summary>
        private void ResetRetryState()
        {
            _timerRunning = false;
            _retries = 0;
            _goBackRecorded = false;
            _probeArmed = false;
            _probesUnanswered = 0;
        }

        /// <summary>Our own encoded frame back to its message: COBS body = version|type|seq|payload|CRC.</summary>
        private WireMessage DecodeStoredFrame(byte[] frame, int length)
        {
            int bodyLength = Cobs.Decode(frame, 0, length - 1, _decodeScratch, 0);
            if (bodyLength < 8)
            {
                return null;
            }
            try
            {
                return MessageCodec.Decode(_decodeScratch[1], _decodeScratch, 4, bodyLength - 8, _payloadReader);
            }
            catch (Exception)
            {
                return null; // we encoded it ourselves; a message class that cannot read its own bytes is a codec bug
            }
        }
    }
}
