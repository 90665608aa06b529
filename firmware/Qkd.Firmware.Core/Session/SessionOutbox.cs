#nullable disable
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Session
{
    /// <summary>
    /// Everything the board sends (except Heartbeat), in order, kept until the reliable link's
    /// acknowledgement covers it. Each slot owns one reusable message of each kind, so steady-state
    /// sending allocates nothing. The link acknowledges cumulatively and in order, so the session
    /// learns which slots were acknowledged by comparing how many it handed to the link with how many
    /// the link still holds. When the link gives messages up (peer lost or restarted), DetectionBatches
    /// and BlockDones go back to unsent and are sent again after the new handshake; replies to old
    /// requests (Error, BlockStatus, DacReadback, BenchReport) are dropped.
    /// </summary>
    public sealed class SessionOutbox
    {
        public const byte KindBatch = 1;
        public const byte KindBlockDone = 2;
        public const byte KindStatus = 3;
        public const byte KindReadback = 4;
        public const byte KindError = 5;
        public const byte KindOther = 6;

        private const byte Unsent = 1;
        private const byte Sent = 2;
        private const byte Cancelled = 3;

        private readonly OutgoingDetectionBatch[] _batches;
        private readonly BlockDoneMessage[] _blockDones;
        private readonly BlockStatusMessage[] _statuses;
        private readonly DacReadbackMessage[] _readbacks;
        private readonly ErrorMessage[] _errors;
        private readonly WireMessage[] _others;
        private readonly byte[] _kinds;
        private readonly byte[] _states;
        private int _head;
        private int _count;
        private int _sentCount;

        public SessionOutbox(int slots, int batchRecordBytes)
        {
            _batches = new OutgoingDetectionBatch[slots];
            _blockDones = new BlockDoneMessage[slots];
            _statuses = new BlockStatusMessage[slots];
            _readbacks = new DacReadbackMessage[slots];
            _errors = new ErrorMessage[slots];
            _others = new WireMessage[slots];
            _kinds = new byte[slots];
            _states = new byte[slots];
            for (int i = 0; i < slots; i++)
            {
                _batches[i] = new OutgoingDetectionBatch(batchRecordBytes);
                _blockDones[i] = new BlockDoneMessage();
                _statuses[i] = new BlockStatusMessage();
                _readbacks[i] = new DacReadbackMessage();
                _errors[i] = new ErrorMessage();
            }
        }

        public int Capacity
        {
            get { return _kinds.Length; }
        }

        public int FreeSlots
        {
            get { return _kinds.Length - _count; }
        }

        /// <summary>Slots waiting for their first send or for a re-send.</summary>
        public int UnsentCount
        {
            get { return _count - CountInState(Sent) - CountInState(Cancelled); }
        }

        /// <summary>Slots in use (unsent, or sent and not yet acknowledged).</summary>
        public int Pending
        {
            get { return _count; }
        }

        /// <summary>Messages given up because the outbox was full (replies only; batches wait instead).</summary>
        public int DroppedReplies { get; private set; }

        /// <summary>The next slot's batch, to fill before <see cref="Commit"/> (null when full).</summary>
        public OutgoingDetectionBatch NextBatch()
        {
            return _count == _kinds.Length ? null : _batches[Tail()];
        }

        public BlockDoneMessage NextBlockDone()
        {
            return _count == _kinds.Length ? null : _blockDones[Tail()];
        }

        /// <summary>Queues the tail slot's message of <paramref name="kind"/>, filled through Next*.</summary>
        public void Commit(byte kind)
        {
            int slot = Tail();
            _kinds[slot] = kind;
            _states[slot] = Unsent;
            _count++;
        }

        public void QueueStatus(uint blockId, byte state, uint pulsesDone)
        {
            if (!HasRoom())
            {
                return;
            }
            BlockStatusMessage status = _statuses[Tail()];
            status.BlockId = blockId;
            status.State = state;
            status.PulsesDone = pulsesDone;
            Commit(KindStatus);
        }

        public void QueueReadback(byte channel, byte register, ushort value)
        {
            if (!HasRoom())
            {
                return;
            }
            DacReadbackMessage readback = _readbacks[Tail()];
            readback.Channel = channel;
            readback.Register = register;
            readback.Value = value;
            Commit(KindReadback);
        }

        public void QueueError(ushort code, string text)
        {
            if (!HasRoom())
            {
                return;
            }
            ErrorMessage error = _errors[Tail()];
            error.Code = code;
            error.Text = text;
            Commit(KindError);
        }

        public void QueueOther(WireMessage message)
        {
            if (!HasRoom())
            {
                return;
            }
            _others[Tail()] = message;
            Commit(KindOther);
        }

        /// <summary>Hands unsent messages to the link, oldest first, while it accepts them.</summary>
        public void Transmit(ReliableLink link, long nowMs)
        {
            for (int i = 0; i < _count; i++)
            {
                int slot = Slot(i);
                if (_states[slot] != Unsent)
                {
                    continue;
                }
                if (!link.Send(MessageAt(slot), nowMs))
                {
                    return;
                }
                _states[slot] = Sent;
                _sentCount++;
            }
        }

        /// <summary>
        /// Frees the slots the link's cumulative acknowledgement covered: of the messages handed to the
        /// link, all but the <paramref name="linkUnacknowledged"/> newest arrived.
        /// </summary>
        public void Acknowledge(int linkUnacknowledged)
        {
            int acknowledged = _sentCount - linkUnacknowledged;
            PopAcknowledged(acknowledged);
        }

        /// <summary>
        /// The link gave up its <paramref name="dropped"/> newest messages (peer lost or restarted):
        /// the older ones were acknowledged; of the given-up ones, batches and BlockDones will be sent
        /// again, the rest are dropped.
        /// </summary>
        public void GiveUp(int dropped)
        {
            PopAcknowledged(_sentCount - dropped);
            for (int i = 0; i < _count; i++)
            {
                int slot = Slot(i);
                if (_states[slot] == Sent)
                {
                    byte kind = _kinds[slot];
                    _states[slot] = kind == KindBatch || kind == KindBlockDone ? Unsent : Cancelled;
                }
            }
            _sentCount = 0;
            PopAcknowledged(0);
        }

        private void PopAcknowledged(int acknowledged)
        {
            while (_count > 0)
            {
                int slot = _head;
                byte state = _states[slot];
                if (state == Sent && acknowledged > 0)
                {
                    acknowledged--;
                    _sentCount--;
                }
                else if (state != Cancelled)
                {
                    return;
                }
                _others[slot] = null;
                _states[slot] = 0;
                _head = (_head + 1) % _kinds.Length;
                _count--;
            }
        }

        private WireMessage MessageAt(int slot)
        {
            switch (_kinds[slot])
            {
                case KindBatch: return _batches[slot];
                case KindBlockDone: return _blockDones[slot];
                case KindStatus: return _statuses[slot];
                case KindReadback: return _readbacks[slot];
                case KindError: return _errors[slot];
                default: return _others[slot];
            }
        }

        private bool HasRoom()
        {
            if (_count < _kinds.Length)
            {
                return true;
            }
            DroppedReplies++;
            return false;
        }

        private int CountInState(byte state)
        {
            int n = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_states[Slot(i)] == state)
                {
                    n++;
                }
            }
            return n;
        }

        private int Tail()
        {
            return Slot(_count);
        }

        private int Slot(int index)
        {
            return (_head + index) % _kinds.Length;
        }
    }
}
