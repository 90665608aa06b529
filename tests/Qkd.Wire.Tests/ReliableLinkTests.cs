using Qkd.Wire.Link;
using Qkd.Wire.Tests.Support;

namespace Qkd.Wire.Tests;

/// <summary>The link's reactions to single events, driven frame by frame by a scripted peer.</summary>
public class ReliableLinkTests
{
    private const ushort Epoch = 500;
    private const ushort PeerEpoch = 7000;

    private readonly LinkCapture _wire = new();
    private readonly LinkRecorder _recorder = new();
    private ReliableLink _link;
    private ScriptedPeer _peer;

    public ReliableLinkTests()
    {
        _link = new ReliableLink(_wire, _recorder, Options());
        _peer = new ScriptedPeer(_link);
    }

    /// <summary>Backoff off by default here, so single-event tests see one timeout per round; the backoff tests turn it on.</summary>
    private static LinkOptions Options(int window = 8, int capacity = 8, bool autoRelease = true, int maxRetransmits = 8, int backoffLimit = 0) => new()
    {
        SendWindow = window,
        ReceiveCapacity = capacity,
        AutoRelease = autoRelease,
        RetransmitTimeoutMs = 40,
        MaxRetransmits = maxRetransmits,
        RetransmitBackoffLimit = backoffLimit,
        NackHoldoffMs = 10,
    };

    private void Rebuild(LinkOptions options)
    {
        _link = new ReliableLink(_wire, _recorder, options);
        _peer = new ScriptedPeer(_link);
    }

    /// <summary>Connects and lets the scripted peer (send epoch 10) acknowledge our Hello with the given credits.</summary>
    private void Connected(uint credits)
    {
        _peer.Epoch = 10;
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);
        _peer.Ack(Epoch, credits);
        Assert.Equal(LinkState.Connected, _link.State);
        _wire.Clear();
    }

    private List<uint> SentChunkIds() =>
        _wire.OfType(MessageType.BasisChunk).Select(f => ((BasisChunkMessage)f.Message!).BlockId).ToList();

    [Fact]
    public void Connect_sends_the_hello_with_the_initial_sequence_and_repeats_it_until_acknowledged()
    {
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);

        var hello = Assert.Single(_wire.Frames);
        Assert.Equal(MessageType.Hello, hello.Type);
        Assert.Equal(Epoch, hello.Sequence);
        Assert.Equal(LinkState.Connecting, _link.State);

        _link.Poll(39);
        Assert.Single(_wire.Frames);
        _link.Poll(40);
        Assert.Equal(2, _wire.OfType(MessageType.Hello).Count());

        _peer.Ack(Epoch, 8);
        Assert.Equal(LinkState.Connected, _link.State);
        _link.Poll(10_000);
        Assert.Equal(2, _wire.Frames.Count);
    }

    [Fact]
    public void Data_waits_for_the_hello_ack_then_flows_only_as_far_as_the_credits_allow()
    {
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);
        for (uint i = 0; i < 6; i++)
        {
            Assert.True(_link.Send(LinkMessages.Chunk(i), 0));
        }
        Assert.Single(_wire.Frames);
        Assert.Equal(6, _link.Queued);

        _peer.Ack(Epoch, 4);
        Assert.Equal([0u, 1, 2, 3], SentChunkIds());
        Assert.Equal(new ushort[] { 501, 502, 503, 504 }, _wire.OfType(MessageType.BasisChunk).Select(f => f.Sequence));
        Assert.Equal(4, _link.InFlight);
        Assert.Equal(2, _link.Queued);

        _peer.Ack(502, 4); // two more acknowledged, window edge moves to 506
        Assert.Equal([0u, 1, 2, 3, 4, 5], SentChunkIds());
        Assert.Equal(4, _link.InFlight);
        Assert.Equal(0, _link.Queued);
    }

    [Fact]
    public void An_older_reordered_grant_never_shrinks_the_window()
    {
        Connected(credits: 2);
        for (uint i = 0; i < 5; i++)
        {
            _link.Send(LinkMessages.Chunk(i), 0);
        }
        _peer.Ack(502, 3); // edge 505
        Assert.Equal(3, _link.InFlight);
        _peer.Credit(Epoch, 1); // stale: edge 501
        _peer.Ack(503, 2);      // edge 505 again, one more acknowledged
        Assert.Equal([0u, 1, 2, 3, 4], SentChunkIds());
    }

    [Fact]
    public void Send_returns_false_when_idle_or_when_the_ring_is_full_and_true_again_after_an_ack()
    {
        Rebuild(Options(window: 3));
        Assert.False(_link.Send(LinkMessages.Chunk(0), 0));

        Connected(credits: 8);
        Assert.True(_link.Send(LinkMessages.Chunk(0), 0));
        Assert.True(_link.Send(LinkMessages.Chunk(1), 0));
        Assert.True(_link.Send(LinkMessages.Chunk(2), 0));
        Assert.False(_link.Send(LinkMessages.Chunk(3), 0));
        Assert.Equal(3, _link.Unacknowledged);

        _peer.Ack(501, 8);
        Assert.True(_link.Send(LinkMessages.Chunk(3), 0));
        Assert.Equal([0u, 1, 2, 3], SentChunkIds());
    }

    [Fact]
    public void Link_control_types_cannot_be_sent_by_the_application()
    {
        Connected(credits: 8);
        Assert.Throws<ArgumentException>(() => _link.Send(new AckMessage(1, 1), 0));
        Assert.Throws<ArgumentException>(() => _link.Send(new NackMessage(1), 0));
        Assert.Throws<ArgumentException>(() => _link.Send(new CreditMessage(1), 0));
        Assert.Throws<ArgumentException>(() => _link.Send(LinkMessages.Hello("again"), 0));
        Assert.Throws<ArgumentException>(() => _link.Connect(new StartMessage(1), 1, 0));
        Assert.Empty(_wire.Frames);
    }

    [Fact]
    public void A_nack_acknowledges_what_came_before_and_resends_the_rest_at_once_but_not_twice_for_one_gap()
    {
        Connected(credits: 8);
        for (uint i = 0; i < 3; i++)
        {
            _link.Send(LinkMessages.Chunk(i), 0);
        }
        _wire.Clear();

        _peer.Now = 5;
        _peer.Nack(502);
        Assert.Equal([1u, 2], SentChunkIds());
        Assert.Equal(2, _link.InFlight);
        Assert.Equal(2, _link.Statistics.FramesResent);

        _peer.Nack(502); // echo of the same loss within the hold-off
        Assert.Equal(2, SentChunkIds().Count);

        _peer.Now = 5 + 10;
        _peer.Nack(502);
        Assert.Equal(4, SentChunkIds().Count);
    }

    [Fact]
    public void A_timeout_resends_every_frame_in_flight_and_the_retry_limit_reports_exactly_the_unacknowledged_messages()
    {
        Rebuild(Options(maxRetransmits: 3));
        Connected(credits: 2);
        for (uint i = 0; i < 5; i++)
        {
            _link.Send(LinkMessages.Chunk(i), 0);
        }
        _peer.Ack(501, 2); // chunk 0 acknowledged; 1 and 2 in flight, 3 and 4 queued
        Assert.Equal([0u, 1, 2], SentChunkIds());
        _wire.Clear();

        for (var t = 1; t <= 3; t++)
        {
            _link.Poll(40 * t);
            Assert.Equal(2 * t, SentChunkIds().Count);
        }
        Assert.Empty(_recorder.PeerLost);

        _link.Poll(160);
        Assert.Equal(LinkState.Lost, _link.State);
        Assert.Equal([4], _recorder.PeerLost);
        Assert.Equal([1u, 2, 3, 4], _recorder.UnacknowledgedChunkIds);
        Assert.False(_link.Send(LinkMessages.Chunk(5), 200));
        Assert.Equal(0, _link.Unacknowledged);
        _link.Poll(10_000);
        Assert.Equal(6, SentChunkIds().Count);
    }

    [Fact]
    public void Retransmission_backs_off_exponentially_up_to_the_limit_and_the_peer_is_lost_at_the_documented_time()
    {
        var options = Options(maxRetransmits: 3, backoffLimit: 2);
        Rebuild(options);
        Connected(credits: 2);
        _link.Send(LinkMessages.Chunk(0), 0);
        _wire.Clear();

        // Waits: 40, then 80, then 160, then 160 again (2^2 x 40 is the cap).
        long[] resendAt = [40, 120, 280];
        foreach (var at in resendAt)
        {
            var before = SentChunkIds().Count;
            _link.Poll(at - 1);
            Assert.Equal(before, SentChunkIds().Count);
            _link.Poll(at);
            Assert.Equal(before + 1, SentChunkIds().Count);
        }
        Assert.Equal(440, options.PeerLostAfterMs());
        _link.Poll(439);
        Assert.Equal(LinkState.Connected, _link.State);
        _link.Poll(440);
        Assert.Equal(LinkState.Lost, _link.State);
        Assert.Equal([0u], _recorder.UnacknowledgedChunkIds);
        Assert.Equal(3, _link.Statistics.RetransmitRounds);
    }

    [Fact]
    public void Progress_returns_the_retransmission_timeout_to_its_base_value()
    {
        Rebuild(Options(maxRetransmits: 5, backoffLimit: 4));
        Connected(credits: 4);
        _link.Send(LinkMessages.Chunk(0), 0);
        _link.Send(LinkMessages.Chunk(1), 0);
        _link.Poll(40);  // round 1; next wait 80
        _link.Poll(120); // round 2; next wait 160
        _peer.Now = 130;
        _peer.Ack(501, 4); // chunk 0 arrived: progress
        _wire.Clear();

        _link.Poll(169);
        Assert.Empty(SentChunkIds());
        _link.Poll(170); // 130 + 40: back to the base timeout
        Assert.Equal([1u], SentChunkIds());
    }

    [Fact]
    public void A_silent_peer_that_gave_no_credit_is_probed_and_declared_lost()
    {
        var options = Options(maxRetransmits: 3, backoffLimit: 4);
        Rebuild(options);
        Connected(credits: 0);
        Assert.True(_link.Send(LinkMessages.Chunk(0), 0));
        Assert.Equal(1, _link.Queued);
        Assert.Empty(_wire.Frames); // no credit: nothing may be sent

        _link.Poll(0);
        _link.Poll(39);
        Assert.Empty(_wire.Frames);
        long[] probeAt = [40, 120, 280]; // backed off like retransmissions
        foreach (var at in probeAt)
        {
            _link.Poll(at);
            var probe = _wire.Frames.Last();
            Assert.Equal(MessageType.Credit, probe.Type);
            Assert.Equal(0u, probe.Credit.Credits); // a zero grant is the probe
        }
        Assert.Equal(3, _wire.Frames.Count);
        Assert.Empty(SentChunkIds());

        _link.Poll(599);
        Assert.Equal(LinkState.Connected, _link.State);
        Assert.Equal(600, options.PeerLostAfterMs());
        _link.Poll(600);
        Assert.Equal(LinkState.Lost, _link.State);
        Assert.Equal([1], _recorder.PeerLost);
        Assert.Equal([0u], _recorder.UnacknowledgedChunkIds);
        Assert.Equal(3, _link.Statistics.ProbesSent);
    }

    [Fact]
    public void A_live_peer_that_answers_probes_is_never_declared_lost_while_it_grants_no_credit()
    {
        Rebuild(Options(maxRetransmits: 2, backoffLimit: 4));
        Connected(credits: 0);
        _link.Send(LinkMessages.Chunk(0), 0);
        var answered = 0;
        for (long t = 0; t <= 20_000; t += 10)
        {
            _link.Poll(t);
            if (_wire.Frames.Count > answered)
            {
                answered = _wire.Frames.Count;
                _peer.Now = t;
                _peer.Ack(Epoch, 0); // alive, still no room
            }
        }
        Assert.Equal(LinkState.Connected, _link.State);
        Assert.Empty(_recorder.PeerLost);
        Assert.True(_link.Statistics.ProbesSent > 10);

        _peer.Credit(Epoch, 1);
        Assert.Equal([0u], SentChunkIds());
    }

    [Fact]
    public void A_probe_is_answered_with_an_ack_and_acknowledges_nothing()
    {
        Connected(credits: 8);
        _peer.Hello(10);
        _link.Send(LinkMessages.Chunk(0), 0); // sequence 501, in flight
        _wire.Clear();

        _peer.Credit(501, 0); // a probe whose sequence field happens to name our frame

        var ack = Assert.Single(_wire.Frames);
        Assert.Equal(MessageType.Ack, ack.Type);
        Assert.Equal(10, ack.Ack.AckedSeq);
        Assert.Equal(8u, ack.Ack.Credits);
        Assert.Equal(1, _link.InFlight); // not acknowledged by the probe
        Assert.Equal(1, _link.Statistics.ProbesReceived);
    }

    [Fact]
    public void An_unanswered_hello_ends_in_peer_lost_with_nothing_to_report()
    {
        Rebuild(Options(maxRetransmits: 2));
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);
        _link.Poll(40);
        _link.Poll(80);
        _link.Poll(120);
        Assert.Equal(3, _wire.OfType(MessageType.Hello).Count());
        Assert.Equal([0], _recorder.PeerLost);
        Assert.Equal(LinkState.Lost, _link.State);
    }

    [Fact]
    public void Receiver_delivers_in_order_once_and_acknowledges_duplicates_again_without_delivering_them()
    {
        _peer.Hello(PeerEpoch);
        _peer.Send(LinkMessages.Chunk(0), PeerEpoch + 1);
        _peer.Send(LinkMessages.Chunk(1), PeerEpoch + 2);
        _peer.Send(LinkMessages.Chunk(0), PeerEpoch + 1);

        Assert.Equal(MessageType.Hello, _recorder.Messages[0].Type);
        Assert.Equal([0u, 1], _recorder.ChunkIds);
        Assert.Equal(1, _link.Statistics.Duplicates);
        var acks = _wire.OfType(MessageType.Ack).Select(f => f.Ack).ToList();
        Assert.Equal(new ushort[] { PeerEpoch, PeerEpoch + 1, PeerEpoch + 2, PeerEpoch + 2 }, acks.Select(a => a.AckedSeq));
        Assert.All(acks, a => Assert.Equal(8u, a.Credits));
    }

    [Fact]
    public void Several_frames_in_one_read_get_one_cumulative_ack()
    {
        var writer = new FrameWriter(WireConstants.MaxPayloadBytes);
        var bytes = new byte[3 * FrameWriter.MaxFrameLength(WireConstants.MaxPayloadBytes)];
        var n = writer.Write(LinkMessages.Hello("peer"), 10, bytes, 0);
        n += writer.Write(LinkMessages.Chunk(0), 11, bytes, n);
        n += writer.Write(LinkMessages.Chunk(1), 12, bytes, n);

        _link.OnBytesReceived(bytes, 0, n, 0);

        Assert.Equal([0u, 1], _recorder.ChunkIds);
        Assert.Equal(12, Assert.Single(_wire.Frames).Ack.AckedSeq);
    }

    [Fact]
    public void Receiver_drops_a_frame_after_a_gap_and_nacks_the_missing_one_once_per_hold_off()
    {
        _peer.Hello(10);
        _peer.Send(LinkMessages.Chunk(1), 12);
        _peer.Send(LinkMessages.Chunk(2), 13);
        Assert.Empty(_recorder.ChunkIds);
        Assert.Equal(2, _link.Statistics.OutOfOrder);
        Assert.Equal(11, Assert.Single(_wire.OfType(MessageType.Nack)).Nack.ExpectedSeq);

        _peer.Now = 10;
        _peer.Send(LinkMessages.Chunk(2), 13);
        Assert.Equal(2, _wire.OfType(MessageType.Nack).Count());

        _peer.Send(LinkMessages.Chunk(0), 11);
        _peer.Send(LinkMessages.Chunk(1), 12);
        _peer.Send(LinkMessages.Chunk(2), 13);
        Assert.Equal([0u, 1, 2], _recorder.ChunkIds);
    }

    [Fact]
    public void Data_before_the_peers_hello_is_dropped_and_not_acknowledged()
    {
        _peer.Send(LinkMessages.Chunk(0), 11);
        Assert.Empty(_recorder.Messages);
        Assert.Empty(_wire.Frames);
        Assert.Equal(1, _link.Statistics.Unsynchronised);
        Assert.False(_link.PeerSynchronised);
    }

    [Fact]
    public void A_retransmitted_hello_is_acknowledged_again_but_does_not_reset_the_sequence()
    {
        _peer.Hello(10);
        _peer.Send(LinkMessages.Chunk(0), 11);
        _peer.Hello(10);
        _peer.Send(LinkMessages.Chunk(1), 12);

        Assert.Single(_recorder.Messages.OfType<HelloMessage>());
        Assert.Equal([0u, 1], _recorder.ChunkIds);
        Assert.Equal(new ushort[] { 10, 11, 11, 12 }, _wire.OfType(MessageType.Ack).Select(f => f.Ack.AckedSeq));
    }

    [Fact]
    public void Connect_reports_queued_messages_waiting_for_credit_as_well_as_those_in_flight_in_send_order()
    {
        Connected(credits: 1);
        for (uint i = 0; i < 5; i++)
        {
            Assert.True(_link.Send(LinkMessages.Chunk(i), 0));
        }
        Assert.Equal(1, _link.InFlight);
        Assert.Equal(4, _link.Queued);

        var dropped = _link.Connect(LinkMessages.Hello("host"), 2000, 5);

        Assert.Equal(5, dropped);
        Assert.Equal([0u, 1, 2, 3, 4], _recorder.UnacknowledgedChunkIds);
        Assert.Equal(0, _link.Queued);
        _wire.Clear();
        _peer.Ack(2000, 8);
        Assert.Empty(SentChunkIds()); // given up means given up: the old epoch's messages never go out later
    }

    [Fact]
    public void A_peer_restart_reports_queued_messages_too()
    {
        Connected(credits: 1);
        _peer.Hello(10);
        for (uint i = 0; i < 4; i++)
        {
            _link.Send(LinkMessages.Chunk(i), 0);
        }

        _peer.Hello(900);

        Assert.Equal([4], _recorder.PeerRestarted);
        Assert.Equal([0u, 1, 2, 3], _recorder.UnacknowledgedChunkIds);
    }

    [Fact]
    public void Messages_sent_while_connecting_are_kept_across_a_crossing_hello_and_go_out_after_the_ack()
    {
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);
        Assert.True(_link.Send(LinkMessages.Chunk(0), 0));
        Assert.True(_link.Send(LinkMessages.Chunk(1), 0));
        _peer.Hello(10); // the peer's Hello crossed ours

        Assert.Empty(_recorder.Unacknowledged);
        Assert.Empty(_recorder.PeerRestarted);
        Assert.Equal(2, _link.Queued);

        _peer.Epoch = 10;
        _peer.Ack(Epoch, 8);
        Assert.Equal([0u, 1], SentChunkIds());
        Assert.Equal([501, 502], _wire.OfType(MessageType.BasisChunk).Select(f => (int)f.Sequence));
    }

    [Fact]
    public void A_new_hello_from_a_connected_peer_restarts_our_side_and_reports_what_it_never_acknowledged()
    {
        Connected(credits: 8);
        _peer.Hello(10);
        _link.Send(LinkMessages.Chunk(0), 0);
        _link.Send(LinkMessages.Chunk(1), 0);
        _peer.Ack(501, 8);
        _link.Send(LinkMessages.Chunk(2), 0);
        _wire.Clear();

        _peer.Hello(900); // the peer restarted

        Assert.Equal([2], _recorder.PeerRestarted);
        Assert.Equal([1u, 2], _recorder.UnacknowledgedChunkIds);
        Assert.Equal(LinkState.Connecting, _link.State);
        var hello = Assert.Single(_wire.OfType(MessageType.Hello));
        Assert.Equal(504, hello.Sequence); // the new epoch continues our numbering
        Assert.Equal(900, _wire.OfType(MessageType.Ack).Last().Ack.AckedSeq);

        _peer.Ack(504, 8);
        _link.Send(LinkMessages.Chunk(3), 0);
        Assert.Equal(505, _wire.OfType(MessageType.BasisChunk).Single().Sequence);
    }

    [Fact]
    public void A_peer_hello_that_crossed_ours_and_arrives_after_its_ack_is_no_restart()
    {
        Connected(credits: 8); // the peer's Ack named its epoch 10
        _link.Send(LinkMessages.Chunk(0), 0);

        _peer.Hello(10);

        Assert.Empty(_recorder.PeerRestarted);
        Assert.Equal(LinkState.Connected, _link.State);
        Assert.Equal(1, _link.InFlight);
        Assert.Single(_recorder.Messages.OfType<HelloMessage>());
        Assert.Single(_wire.OfType(MessageType.BasisChunk)); // nothing re-sent, no new Hello
        Assert.Empty(_wire.OfType(MessageType.Hello));
    }

    [Fact]
    public void After_peer_lost_the_peers_next_hello_brings_the_link_back()
    {
        Rebuild(Options(maxRetransmits: 1));
        _link.Connect(LinkMessages.Hello("host"), Epoch, 0);
        _link.Poll(40);
        _link.Poll(80);
        Assert.Equal(LinkState.Lost, _link.State);
        _wire.Clear();

        _peer.Hello(33);

        Assert.Equal([0], _recorder.PeerRestarted);
        Assert.Equal(LinkState.Connecting, _link.State);
        Assert.Single(_wire.OfType(MessageType.Hello));
        Assert.True(_link.Send(LinkMessages.Chunk(0), 100));
    }

    [Fact]
    public void Connect_again_gives_up_the_old_epoch_and_forgets_the_peer()
    {
        Connected(credits: 8);
        _peer.Hello(10);
        _link.Send(LinkMessages.Chunk(0), 0);

        var dropped = _link.Connect(LinkMessages.Hello("host"), 2000, 5);

        Assert.Equal(1, dropped);
        Assert.Equal([0u], _recorder.UnacknowledgedChunkIds);
        Assert.False(_link.PeerSynchronised);
        Assert.Equal(LinkState.Connecting, _link.State);
        Assert.Equal(2000, _wire.OfType(MessageType.Hello).Last().Sequence);
    }

    [Fact]
    public void Intact_frames_of_unknown_type_or_bad_payload_are_acknowledged_and_rejected_and_the_stream_goes_on()
    {
        _peer.Hello(10);
        _peer.SendRaw(0x7E, 11, [0x90]);
        _peer.SendRaw(MessageType.BasisChunk, 12, [0x91, 0x01]); // an array of one field: too few

        _peer.Send(LinkMessages.Chunk(5), 13);

        Assert.Equal([(0x7E, 11, FrameError.UnknownType), (MessageType.BasisChunk, 12, FrameError.Payload)],
            _recorder.Rejected.Select(r => ((int)r.Type, (int)r.Sequence, r.Reason)).ToList());
        Assert.Equal([5u], _recorder.ChunkIds);
        Assert.Equal(13, _wire.OfType(MessageType.Ack).Last().Ack.AckedSeq);
    }

    [Fact]
    public void Damaged_bytes_are_counted_and_skipped_and_the_next_frame_still_arrives()
    {
        _peer.Hello(10);
        _peer.Bytes(0x13, 0x77, 0x00, 0x00, 0xFF, 0xFE, 0x00);
        _peer.Ack(1, 1); // an ack for nothing we sent: ignored
        _peer.SendRaw(MessageType.Ack, 0, [0x92, 0xCD]); // truncated payload
        _peer.Send(LinkMessages.Chunk(0), 11);

        Assert.Equal(2, _link.Statistics.BadFrames);
        Assert.Equal([0u], _recorder.ChunkIds);
        Assert.Single(_recorder.Rejected);
    }

    [Fact]
    public void A_heartbeat_is_sent_at_once_unsequenced_and_never_retransmitted_and_is_delivered_even_before_hello()
    {
        _peer.Send(new HeartbeatMessage(1234, 0x20), 999);
        var received = Assert.IsType<HeartbeatMessage>(Assert.Single(_recorder.Messages));
        Assert.Equal(1234u, received.UptimeMs);
        Assert.Empty(_wire.Frames);

        Connected(credits: 1);
        Assert.True(_link.Send(new HeartbeatMessage(5, 0), 0));
        Assert.True(_link.Send(new HeartbeatMessage(6, 0), 0));
        _link.Send(LinkMessages.Chunk(0), 0);
        Assert.Equal(2, _wire.OfType(MessageType.Heartbeat).Count());
        Assert.Equal([0u], SentChunkIds()); // heartbeats used no credit
        _link.Poll(1000);
        Assert.Equal(2, _wire.OfType(MessageType.Heartbeat).Count());
        Assert.Equal(1, _link.InFlight);
    }

    [Fact]
    public void Without_auto_release_the_ack_grants_only_free_slots_and_a_release_sends_a_credit_repeated_until_data_comes()
    {
        Rebuild(Options(capacity: 2, autoRelease: false));
        _peer.Hello(10);
        _peer.Send(LinkMessages.Chunk(0), 11);
        _peer.Send(LinkMessages.Chunk(1), 12);
        Assert.Equal(new uint[] { 2, 1, 0 }, _wire.OfType(MessageType.Ack).Select(f => f.Ack.Credits));
        Assert.Equal(2, _link.HeldMessages);

        _peer.Send(LinkMessages.Chunk(2), 13); // beyond the credit
        Assert.Equal([0u, 1], _recorder.ChunkIds);
        Assert.Equal(1, _link.Statistics.Overruns);

        _link.Release(1, 0);
        var credit = Assert.Single(_wire.OfType(MessageType.Credit));
        Assert.Equal(12, credit.Sequence);
        Assert.Equal(1u, credit.Credit.Credits);

        _link.Poll(39);
        Assert.Single(_wire.OfType(MessageType.Credit));
        _link.Poll(40);
        Assert.Equal(2, _wire.OfType(MessageType.Credit).Count());

        _peer.Now = 50;
        _peer.Send(LinkMessages.Chunk(2), 13);
        Assert.Equal([0u, 1, 2], _recorder.ChunkIds);
        _link.Poll(1000);
        Assert.Equal(2, _wire.OfType(MessageType.Credit).Count());
    }

    [Fact]
    public void Ack_nack_and_credit_frames_are_byte_identical_to_the_codecs_messages()
    {
        Rebuild(Options(capacity: 300, autoRelease: false));
        _link.Connect(LinkMessages.Hello("host"), 40_000, 0);
        _peer.Hello(10);
        _peer.Send(LinkMessages.Chunk(0), 12);
        for (ushort s = 11; s < 11 + 300; s++)
        {
            _peer.Send(LinkMessages.Chunk(s), s);
        }
        _link.Release(300, 0);

        var writer = new FrameWriter(WireConstants.MaxPayloadBytes);
        var expected = new byte[64];
        byte[] Frame(WireMessage message, ushort sequence) => expected[..writer.Write(message, sequence, expected, 0)];
        var ack = _wire.OfType(MessageType.Ack).Last();
        Assert.Equal(Frame(new AckMessage(310, 0), 40_000), ack.Raw); // uint16 ackedSeq, fixint credits
        var nack = Assert.Single(_wire.OfType(MessageType.Nack));
        Assert.Equal(Frame(new NackMessage(11), 40_000), nack.Raw);
        var credit = Assert.Single(_wire.OfType(MessageType.Credit));
        Assert.Equal(Frame(new CreditMessage(300), 310), credit.Raw); // uint16 credits
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(65535, 0, 1)]
    [InlineData(0, 65535, -1)]
    [InlineData(65530, 5, 11)]
    [InlineData(5, 65530, -11)]
    [InlineData(100, 100, 0)]
    [InlineData(0, 32767, 32767)]
    [InlineData(0, 32768, -32768)]
    public void Sequence_distance_wraps_around(int from, int to, int expected)
    {
        Assert.Equal(expected, SequenceNumber.Distance((ushort)from, (ushort)to));
        Assert.Equal(expected > 0, SequenceNumber.IsAfter((ushort)to, (ushort)from));
    }

    [Fact]
    public void A_listener_that_throws_gets_its_exception_back_and_the_link_stays_consistent()
    {
        _peer.Hello(10);
        _recorder.OnMessageHook = m => throw new InvalidOperationException("application bug");

        Assert.Throws<InvalidOperationException>(() => _peer.Send(LinkMessages.Chunk(0), 11));
        _recorder.OnMessageHook = null;
        _peer.Send(LinkMessages.Chunk(0), 11); // the peer retransmits: already delivered once
        _peer.Send(LinkMessages.Chunk(1), 12);

        Assert.Equal([0u, 1], _recorder.ChunkIds);
        Assert.Equal(1, _link.Statistics.Duplicates);
        Assert.Equal(new ushort[] { 10, 11, 11, 12 }, _wire.OfType(MessageType.Ack).Select(f => f.Ack.AckedSeq));
    }

    [Fact]
    public void Absurd_options_are_refused_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new ReliableLink(_wire, _recorder, new LinkOptions { SendWindow = 0 }));
        Assert.Contains("SendWindow", error.Message);
        Assert.Throws<ArgumentException>(() => new ReliableLink(_wire, _recorder, new LinkOptions { ReceiveCapacity = 100_000 }));
        Assert.Throws<ArgumentException>(() => new ReliableLink(_wire, _recorder, new LinkOptions { RetransmitTimeoutMs = 0 }));
    }
}
