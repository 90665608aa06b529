#nullable disable
using System;
using System.Collections;

namespace Qkd.Wire.Link
{
    /// <summary>
    /// The one reliable-link state machine of issue 2, used by the boards and the host over any byte
    /// stream. Go-back-N: sequenced data frames, cumulative Acks carrying credits, Nack for fast
    /// retransmit, one retransmission timer, duplicate suppression, in-order delivery (out-of-order
    /// frames are dropped and recovered by retransmission), credit-based flow control, a bounded
    /// retry count, and Hello to (re)start sequence state. README.md describes the states and events.
    /// Time is injected (every call takes nowMs); nothing here owns a clock or a thread. Calls are
    /// serialised by an internal lock, so a receive thread, a timer and the application may share a link.
    /// Buffers are allocated once; steady-state sending, receiving and acknowledging allocate nothing
    /// here (decoding a delivered message allocates that message, in the codec).
    /// </summary>
    public sealed partial class ReliableLink
    {
        private const int MaxCreditGrant = 16384;

        private readonly object _sync = new object();
        private readonly ILinkTransport _transport;
        private readonly ILinkListener _listener;
        private readonly int _receiveCapacity;
        private readonly bool _autoRelease;
        private readonly int _nackHoldoffMs;
        private readonly LinkOptions _options; // the retransmission timers' one source; a private copy: the caller may reuse its instance
        private readonly FrameWriter _frameWriter;
        private readonly FrameReader _frameReader;
        private readonly ControlPayload _control = new ControlPayload();
        private readonly byte[] _outFrame;
        private readonly byte[] _decodeScratch;
        private readonly MsgPackReader _payloadReader = new MsgPackReader(new byte[0], 0, 0); // reused for every delivered frame
        private readonly SendRing _ring;
        private readonly LinkStatistics _statistics = new LinkStatistics();

        public ReliableLink(ILinkTransport transport, ILinkListener listener, LinkOptions options)
        {
            if (transport == null || listener == null)
            {
                throw new ArgumentNullException(transport == null ? "transport" : "listener");
            }
            if (options == null)
            {
                options = new LinkOptions();
            }
            options.Validate();
            _transport = transport;
            _listener = listener;
            _receiveCapacity = options.ReceiveCapacity;
            _autoRelease = options.AutoRelease;
            _nackHoldoffMs = options.NackHoldoffMs;
            _options = new LinkOptions
            {
                RetransmitTimeoutMs = options.RetransmitTimeoutMs,
                RetransmitBackoffLimit = options.RetransmitBackoffLimit,
                MaxRetransmits = options.MaxRetransmits,
            };

            int maxFrame = FrameWriter.MaxFrameLength(options.MaxPayloadBytes);
            _frameWriter = new FrameWriter(options.MaxPayloadBytes);
            _frameReader = new FrameReader(options.MaxPayloadBytes);
            _outFrame = new byte[maxFrame];
            _decodeScratch = new byte[maxFrame];
            _ring = new SendRing(options.SendWindow, maxFrame);
        }

        public LinkStatistics Statistics
        {
            get { return _statistics; }
        }

        /// <summary>State of the send side.</summary>
        public LinkState State
        {
            get { return _state; }
        }

        /// <summary>True once a Hello from the peer started its sequence; data from it is delivered only then.</summary>
        public bool PeerSynchronised
        {
            get { return _peerSynchronised; }
        }

        /// <summary>Data frames sent and not yet acknowledged (never more than the send window or the peer's credits).</summary>
        public int InFlight
        {
            get { return _ring.SentCount; }
        }

        /// <summary>Data frames accepted by Send but waiting for credit.</summary>
        public int Queued
        {
            get { return _ring.QueuedCount; }
        }

        /// <summary>Unacknowledged data frames the send ring holds (in flight plus queued), at most <see cref="SendWindow"/>.</summary>
        public int Unacknowledged
        {
            get { return _ring.Count; }
        }

        public int SendWindow
        {
            get { return _ring.Capacity; }
        }

        /// <summary>Delivered messages the application has not released yet (always 0 with AutoRelease).</summary>
        public int HeldMessages
        {
            get { return _held; }
        }

        /// <summary>Free receive slots: the credits this side grants the peer.</summary>
        public int ReceiveCredits
        {
            get { return Credits(); }
        }

        /// <summary>
        /// Starts (or restarts) both directions: gives up whatever was unacknowledged (reported to
        /// OnUnacknowledged, count returned), forgets the peer's sequence, and sends
        /// <paramref name="hello"/> reliably with sequence <paramref name="initialSequence"/>. The link
        /// keeps the Hello to answer a later restart of the peer. Pick initialSequence so that it
        /// differs from the previous run's (random, or from a clock): the peer tells a new Hello from a
        /// retransmitted one by it.
        /// </summary>
        public int Connect(WireMessage hello, ushort initialSequence, long nowMs)
        {
            if (hello == null || hello.Type != MessageType.Hello)
            {
                throw new ArgumentException("Connect needs a Hello message");
            }
            lock (_sync)
            {
                ArrayList dropped = TakeUnacknowledged();
                _hello = hello;
                ForgetPeer();
                StartSendEpoch(initialSequence, nowMs);
                return Report(dropped);
            }
        }

        /// <summary>
        /// Sends a data message reliably: encoded at once into the send ring, written now if the peer's
        /// credits allow, else when they do. Returns false, changing nothing, when the ring is full or
        /// the link is Idle or Lost: back off and try again later. A Heartbeat is written at once,
        /// unsequenced and never retransmitted. Ack, Nack, Credit and Hello belong to the link.
        /// </summary>
        public bool Send(WireMessage message, long nowMs)
        {
            if (message == null)
            {
                throw new ArgumentNullException("message");
            }
            byte type = message.Type;
            if (type == MessageType.Ack || type == MessageType.Nack || type == MessageType.Credit || type == MessageType.Hello)
            {
                throw new ArgumentException("Ack, Nack, Credit and Hello are sent by the link itself");
            }
            lock (_sync)
            {
                if (type == MessageType.Heartbeat)
                {
                    WriteFrame(_outFrame, _frameWriter.Write(message, _ring.NextSequence, _outFrame, 0));
                    return true;
                }
                if (_state == LinkState.Idle || _state == LinkState.Lost || _ring.IsFull)
                {
                    return false;
                }
                int length = _frameWriter.Write(message, _ring.NextSequence, _ring.TailBuffer, 0);
                _ring.Append(type, length);
                TransmitWithinCredit(nowMs);
                return true;
            }
        }

        /// <summary>Feeds bytes read from the transport; delivers, acknowledges and retransmits as they require.</summary>
        public void OnBytesReceived(byte[] buffer, int offset, int count, long nowMs)
        {
            // count > Length - offset, not offset + count > Length: the sum can overflow and pass.
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
            {
                throw new ArgumentException("received range is outside the buffer");
            }
            lock (_sync)
            {
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        if (!_frameReader.Push(buffer[offset + i]))
                        {
                            continue;
                        }
                        if (_frameReader.LastError != FrameError.None)
                        {
                            _statistics.BadFrames++;
                            continue;
                        }
                        _statistics.FramesReceived++;
                        OnFrame(nowMs);
                    }
                }
                finally
                {
                    // Even if a listener threw: what was delivered is acknowledged. Bytes after the
                    // throw were not read; their frames come again when the peer retransmits.
                    FlushAck();
                }
            }
        }

        /// <summary>Runs the timers: retransmission (or declaring the peer lost) and repeated credit grants.</summary>
        public void Poll(long nowMs)
        {
            lock (_sync)
            {
                if (_timerRunning && nowMs >= _retransmitDeadline)
                {
                    OnRetransmitTimeout(nowMs);
                }
                TransmitWithinCredit(nowMs);
                ProbeIfBlocked(nowMs);
                FlushAck();
                RepeatCreditIfDue(nowMs);
            }
        }

        /// <summary>
        /// With AutoRelease off: the application consumed <paramref name="count"/> delivered messages,
        /// freeing receive slots. If the peer had used up its credits, a Credit frame tells it to go on.
        /// </summary>
        public void Release(int count, long nowMs)
        {
            if (count <= 0 || _autoRelease)
            {
                return;
            }
            lock (_sync)
            {
                _held = count >= _held ? 0 : _held - count;
                GrantFreedCredit(nowMs);
            }
        }

        private void OnFrame(long nowMs)
        {
            byte type = _frameReader.Type;
            ushort sequence = _frameReader.Sequence;
            switch (type)
            {
                case MessageType.Ack:
                    if (ReadControl(2, true))
                    {
                        _statistics.AcksReceived++;
                        OnAck((ushort)_control.Value0, _control.Value1, sequence, nowMs);
                    }
                    else
                    {
                        Reject(type, sequence, FrameError.Payload);
                    }
                    break;
                case MessageType.Credit:
                    // The frame's sequence field carries the cumulative ack the grant counts from. A
                    // grant of zero is a probe from a peer we gave no credit: it acknowledges nothing
                    // (its sequence field is not trusted) and is answered with an Ack.
                    if (ReadControl(1, false))
                    {
                        if (_control.Value0 == 0)
                        {
                            _statistics.ProbesReceived++;
                            _ackPending = true;
                        }
                        else
                        {
                            _statistics.CreditsReceived++;
                            OnGrant(sequence, _control.Value0, nowMs);
                        }
                    }
                    else
                    {
                        Reject(type, sequence, FrameError.Payload);
                    }
                    break;
                case MessageType.Nack:
                    if (ReadControl(1, true))
                    {
                        _statistics.NacksReceived++;
                        OnNack((ushort)_control.Value0, nowMs);
                    }
                    else
                    {
                        Reject(type, sequence, FrameError.Payload);
                    }
                    break;
                case MessageType.Heartbeat:
                    Deliver(type, sequence);
                    break;
                case MessageType.Hello:
                    OnHello(sequence, nowMs);
                    break;
                default:
                    OnData(type, sequence, nowMs);
                    break;
            }
        }

        private bool ReadControl(int fields, bool firstIsSequence)
        {
            return _control.TryRead(_frameReader.Payload, _frameReader.PayloadCount, fields, firstIsSequence);
        }

        /// <summary>Decodes the current frame's payload and hands it to the listener; false if it could not be.</summary>
        private bool Deliver(byte type, ushort sequence)
        {
            WireMessage message;
            try
            {
                message = MessageCodec.Decode(type, _frameReader.Payload, 0, _frameReader.PayloadCount, _payloadReader);
            }
            catch (Exception)
            {
                // Untrusted bytes that passed the CRC: whatever the decoder throws, it is a bad payload.
                Reject(type, sequence, FrameError.Payload);
                return false;
            }
            if (message == null)
            {
                Reject(type, sequence, FrameError.UnknownType);
                return false;
            }
            _statistics.MessagesDelivered++;
            _listener.OnMessage(message);
            return true;
        }

        private void Reject(byte type, ushort sequence, FrameError reason)
        {
            _statistics.Rejected++;
            _listener.OnRejected(type, sequence, reason);
        }

        private void WriteFrame(byte[] frame, int length)
        {
            _statistics.FramesSent++;
            _transport.Write(frame, 0, length);
        }

        private void WriteControl(byte type, ushort headerSequence, int fields, ulong value0, ulong value1)
        {
            int payloadCount = _control.Write(fields, value0, value1);
            WriteFrame(_outFrame, _frameWriter.WriteRaw(type, headerSequence, _control.Buffer, 0, payloadCount, _outFrame, 0));
        }

        /// <summary>Hands each given-up message to the listener; returns how many there were.</summary>
        private int Report(ArrayList dropped)
        {
            if (dropped == null)
            {
                return 0;
            }
            for (int i = 0; i < dropped.Count; i++)
            {
                _listener.OnUnacknowledged((WireMessage)dropped[i]);
            }
            return dropped.Count;
        }
    }
}
