#nullable disable
using System;
using System.Collections;
using Qkd.Firmware.Roles;
using Qkd.Wire;
using Qkd.Wire.Link;

namespace Qkd.Firmware.Session
{
    /// <summary>
    /// The board side of the link (issue 2 protocol, issue 3 roles): owns the <see cref="ReliableLink"/>,
    /// turns every host message into a role action and a reply, streams Bob's detections as
    /// DetectionBatches kept until acknowledged, reports each block with BlockDone, and sends
    /// Heartbeats with the AD5754 alerts. Time is injected: call <see cref="OnBytesReceived"/> with
    /// what the transport read and <see cref="Poll"/> often (every few ms), from one thread.
    /// Roles/README.md describes the message flow.
    /// </summary>
    public sealed partial class BoardSession : ILinkListener
    {
        /// <summary>Outbox slots kept free for replies, so streaming detections never starves them.</summary>
        private const int ReplyReserve = 4;

        /// <summary>Bytes a DetectionBatch needs besides its records (array, four u32, bin header).</summary>
        private const int BatchOverheadBytes = 32;

        private readonly PulseRole _role;
        private readonly BoardIdentity _identity;
        private readonly SessionOptions _options;
        private readonly ReliableLink _link;
        private readonly SessionOutbox _outbox;
        private readonly HelloMessage _hello = new HelloMessage();
        private readonly HeartbeatMessage _heartbeat = new HeartbeatMessage();
        private readonly ArrayList _inbound = new ArrayList();
        private readonly DetectionRecordWriter _recordWriter;
        private readonly int _recordsPerFullBatch;

        private IBenchRunner _benchRunner;
        private bool _started;
        private long _startMs;
        private long _nextHeartbeatMs;
        private long _nextProgressMs;
        private long _lostSinceMs;
        private long _oldestUnbatchedMs;
        private int _connects;
        private int _droppedByLink;

        public BoardSession(PulseRole role, BoardIdentity identity, ILinkTransport transport, SessionOptions options)
        {
            if (role == null || identity == null || transport == null)
            {
                throw new ArgumentNullException(role == null ? "role" : identity == null ? "identity" : "transport");
            }
            _role = role;
            _identity = identity;
            _options = options == null ? new SessionOptions() : options;
            _options.Link.AutoRelease = false;
            _link = new ReliableLink(transport, this, _options.Link);
            int recordBytes = _options.Link.MaxPayloadBytes - BatchOverheadBytes;
            _outbox = new SessionOutbox(_options.OutboxSlots, recordBytes);
            _recordWriter = new DetectionRecordWriter(new byte[DetectionRecordWriter.MaxRecordBytes], 0, 0);
            _recordsPerFullBatch = recordBytes / DetectionRecordWriter.MaxRecordBytes;
            _inbound.Capacity = _options.Link.ReceiveCapacity + 2;
            _lostSinceMs = -1;
            _oldestUnbatchedMs = -1;
        }

        public ReliableLink Link
        {
            get { return _link; }
        }

        public PulseRole Role
        {
            get { return _role; }
        }

        public SessionOutbox Outbox
        {
            get { return _outbox; }
        }

        /// <summary>The bench routine; null answers BenchRun with Error "bench not available".</summary>
        public IBenchRunner BenchRunner
        {
            get { return _benchRunner; }
            set { _benchRunner = value; }
        }

        /// <summary>Host messages delivered and not yet carried out (a chunk waiting for a free table buffer holds the line).</summary>
        public int InboundWaiting
        {
            get { return _inbound.Count; }
        }

        /// <summary>Opens the link: sends this board's Hello.</summary>
        public void Start(long nowMs)
        {
            _started = true;
            _startMs = nowMs;
            _nextHeartbeatMs = nowMs + _options.HeartbeatMs;
            Connect(nowMs);
        }

        /// <summary>Bytes the transport read: the link decodes, acknowledges and delivers; the session then acts.</summary>
        public void OnBytesReceived(byte[] buffer, int offset, int count, long nowMs)
        {
            _link.OnBytesReceived(buffer, offset, count, nowMs);
            Pump(nowMs);
        }

        /// <summary>Runs timers and moves the work along: retransmissions, queued host messages, detections, heartbeat.</summary>
        public void Poll(long nowMs)
        {
            if (!_started)
            {
                return;
            }
            _link.Poll(nowMs);
            Pump(nowMs);
        }

        private void Pump(long nowMs)
        {
            SettleLink();
            ReconnectIfLost(nowMs);
            ProcessInbound(nowMs);
            CollectBlockResults(nowMs);
            _outbox.Transmit(_link, nowMs);
            SendHeartbeatIfDue(nowMs);
        }

        /// <summary>Frees outbox slots the link acknowledged, after handling what the link gave up.</summary>
        private void SettleLink()
        {
            if (_pendingGiveUp)
            {
                _outbox.GiveUp(_droppedByLink);
                _droppedByLink = 0;
                _pendingGiveUp = false;
            }
            int unacknowledged = _link.Unacknowledged - (_link.State == LinkState.Connecting ? 1 : 0);
            _outbox.Acknowledge(unacknowledged < 0 ? 0 : unacknowledged);
        }

        private bool _pendingGiveUp;

        private void Connect(long nowMs)
        {
            _hello.ProtocolVersion = WireConstants.ProtocolVersion;
            _hello.FirmwareVersion = _identity.FirmwareVersion;
            _hello.BoardId = _identity.BoardId;
            _hello.Role = _role.Role;
            _hello.TableBufferBytes = (uint)_role.Tables.CapacityBytes;
            _hello.MaxPulseRateHz = _identity.MaxPulseRateHz;
            _hello.PulseEngine = PulseEngineKind.Managed;
            _connects++;
            // A new initial sequence per connect, so the host tells a new Hello from a retransmitted one.
            ushort initial = (ushort)((nowMs * 31) + (_connects * 7919));
            int dropped = _link.Connect(_hello, initial, nowMs);
            _droppedByLink += dropped;
            _pendingGiveUp = true;
            SettleLink();
        }

        private void ReconnectIfLost(long nowMs)
        {
            if (_link.State != LinkState.Lost)
            {
                _lostSinceMs = -1;
                return;
            }
            if (_lostSinceMs < 0)
            {
                _lostSinceMs = nowMs;
            }
            else if (nowMs - _lostSinceMs >= _options.ReconnectMs)
            {
                _lostSinceMs = -1;
                Connect(nowMs);
            }
        }

        private void SendHeartbeatIfDue(long nowMs)
        {
            if (nowMs < _nextHeartbeatMs || _link.State == LinkState.Idle)
            {
                return;
            }
            _nextHeartbeatMs = nowMs + _options.HeartbeatMs;
            _heartbeat.UptimeMs = (uint)(nowMs - _startMs);
            try
            {
                _heartbeat.Alerts = _role.ReadDacAlerts();
            }
            catch (Exception)
            {
                _heartbeat.Alerts = 0; // a DAC that cannot be read shows up in the next Configure or DacWrite
            }
            _link.Send(_heartbeat, nowMs);
        }

        // ILinkListener: called inside the link's calls; only record what happened, act in Pump.

        public void OnMessage(WireMessage message)
        {
            byte type = message.Type;
            if (type == MessageType.Hello)
            {
                OnHostHello();
                return;
            }
            if (type == MessageType.Heartbeat)
            {
                return; // unsequenced: holds no receive slot
            }
            _inbound.Add(message);
        }

        public void OnRejected(byte type, ushort sequence, FrameError reason)
        {
            string what = reason == FrameError.UnknownType ? "unknown message type 0x" : "undecodable payload of message type 0x";
            _outbox.QueueError(reason == FrameError.UnknownType ? ErrorCode.UnsupportedMessage : ErrorCode.BadPayload, what + HexByte(type));
        }

        public void OnUnacknowledged(WireMessage message)
        {
            // The session keeps its own copy of everything it must send again (see SessionOutbox).
        }

        public void OnPeerLost(int unackedCount)
        {
            _droppedByLink += unackedCount;
            _pendingGiveUp = true;
        }

        public void OnPeerRestarted(int unackedCount)
        {
            _droppedByLink += unackedCount;
            _pendingGiveUp = true;
        }

        /// <summary>
        /// The host (re)started its side: its earlier requests and half-loaded tables are void (it
        /// will send them again); a running block keeps running and its results are still delivered.
        /// </summary>
        private void OnHostHello()
        {
            _inbound.Clear(); // the link forgot their receive slots with the old epoch
            _role.AbandonPending();
        }

        private static string HexByte(byte value)
        {
            const string digits = "0123456789ABCDEF";
            return new string(new char[] { digits[value >> 4], digits[value & 0xF] });
        }
    }
}
