#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>Receive side: sequence checks, duplicate suppression, Ack/Nack/Credit generation.</summary>
    public sealed partial class ReliableLink
    {
        private bool _peerSynchronised;
        private ushort _peerEpoch;   // sequence of the Hello that started the peer's current epoch
        private ushort _expected;    // next sequence number to deliver
        private int _held;           // delivered, not yet released by the application
        private bool _ackPending;
        private ushort _advertisedEdge; // last sequence our latest Ack/Credit allowed the peer to send

        private bool _nackRecorded;
        private ushort _lastNackSequence;
        private long _lastNackMs;

        private int _creditRepeatsLeft;
        private long _creditRepeatDeadline;

        private void ForgetPeer()
        {
            _peerSynchronised = false;
            _held = 0;
            _ackPending = false;
            _nackRecorded = false;
            _creditRepeatsLeft = 0;
        }

        private void OnHello(ushort sequence, long nowMs)
        {
            if (_peerSynchronised && sequence == _peerEpoch)
            {
                _statistics.Duplicates++; // a retransmitted Hello: our Ack was lost
                _ackPending = true;
                return;
            }
            ForgetPeer();
            _peerSynchronised = true;
            _peerEpoch = sequence;
            _expected = SequenceNumber.Add(sequence, 1);
            _advertisedEdge = sequence;
            _ackPending = true;

            // A peer that restarts has forgotten our sequence too, and our side must start a new epoch.
            // Not so if our Hello is still out (the restarted peer will acknowledge it), nor if the
            // peer's Acks of our Hello already named this epoch (its Hello merely arrived late).
            bool helloCrossedOurs = _peerEpochFromAcksKnown && _peerEpochFromAcks == sequence;
            bool restartOurSide = (_state == LinkState.Connected && !helloCrossedOurs) || _state == LinkState.Lost;
            System.Collections.ArrayList dropped = null;
            if (restartOurSide)
            {
                dropped = TakeUnacknowledged();
                StartSendEpoch(_ring.NextSequence, nowMs);
            }
            Deliver(MessageType.Hello, sequence);
            if (restartOurSide)
            {
                _listener.OnPeerRestarted(Report(dropped));
            }
        }

        private void OnData(byte type, ushort sequence, long nowMs)
        {
            if (!_peerSynchronised)
            {
                _statistics.Unsynchronised++; // the peer has not (re)started its sequence with a Hello
                return;
            }
            int distance = SequenceNumber.Distance(_expected, sequence);
            if (distance < 0)
            {
                _statistics.Duplicates++; // delivered before; our Ack was lost or late
                _ackPending = true;
                return;
            }
            if (distance > 0)
            {
                _statistics.OutOfOrder++; // go-back-N: drop it, ask for the gap
                SendNackIfDue(nowMs);
                return;
            }
            if (Credits() == 0)
            {
                _statistics.Overruns++; // the peer ignored our credits; the Ack re-states them
                _ackPending = true;
                return;
            }
            _expected = SequenceNumber.Add(_expected, 1);
            _ackPending = true;
            _nackRecorded = false;
            _creditRepeatsLeft = 0; // fresh data proves the peer has our grant
            if (!_autoRelease)
            {
                _held++;
            }
            if (!Deliver(type, sequence) && !_autoRelease)
            {
                _held--; // rejected frames occupy no slot the application would release
            }
        }

        private int Credits()
        {
            return _autoRelease ? _receiveCapacity : _receiveCapacity - _held;
        }

        private void FlushAck()
        {
            if (!_ackPending || !_peerSynchronised)
            {
                _ackPending = false;
                return;
            }
            _ackPending = false;
            ushort acked = SequenceNumber.Add(_expected, -1);
            int credits = Credits();
            _advertisedEdge = SequenceNumber.Add(acked, credits);
            _statistics.AcksSent++;
            WriteControl(MessageType.Ack, _localEpoch, 2, acked, (ulong)credits);
        }

        private void SendNackIfDue(long nowMs)
        {
            if (_nackRecorded && _lastNackSequence == _expected && nowMs - _lastNackMs < _nackHoldoffMs)
            {
                return;
            }
            _nackRecorded = true;
            _lastNackSequence = _expected;
            _lastNackMs = nowMs;
            _statistics.NacksSent++;
            WriteControl(MessageType.Nack, _localEpoch, 1, _expected, 0);
        }

        /// <summary>
        /// After a release: if the peer had used every credit we advertised it may be waiting, so a
        /// Credit frame tells it about the freed slots, repeated each timeout until data arrives
        /// (a lost grant must not stall both sides). Otherwise the next Ack carries the news.
        /// </summary>
        private void GrantFreedCredit(long nowMs)
        {
            if (!_peerSynchronised)
            {
                return;
            }
            ushort acked = SequenceNumber.Add(_expected, -1);
            bool peerMayBeBlocked = _advertisedEdge == acked;
            if (peerMayBeBlocked && Credits() > 0)
            {
                SendCredit();
                _creditRepeatsLeft = _options.MaxRetransmits;
                _creditRepeatDeadline = nowMs + _options.RetransmitTimeoutMs;
            }
        }

        private void RepeatCreditIfDue(long nowMs)
        {
            if (_creditRepeatsLeft > 0 && nowMs >= _creditRepeatDeadline && _peerSynchronised)
            {
                _creditRepeatsLeft--;
                _creditRepeatDeadline = nowMs + _options.RetransmitTimeoutMs;
                SendCredit();
            }
        }

        private void SendCredit()
        {
            ushort acked = SequenceNumber.Add(_expected, -1);
            int credits = Credits();
            if (credits == 0)
            {
                return; // a Credit granting zero is a probe; the next Ack states the credits anyway
            }
            _advertisedEdge = SequenceNumber.Add(acked, credits);
            _statistics.CreditsSent++;
            WriteControl(MessageType.Credit, acked, 1, (ulong)credits, 0);
        }
    }
}
