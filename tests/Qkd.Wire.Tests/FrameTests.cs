using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Qkd.Wire.Contracts;

namespace Qkd.Wire.Tests;

/// <summary>FrameWriter + FrameReader on clean and damaged streams.</summary>
public class FrameTests
{
    private const int MaxPayload = WireConstants.MaxPayloadBytes;

    private static byte[] Frame(WireMessage message, ushort sequence)
    {
        var output = new byte[FrameWriter.MaxFrameLength(MaxPayload)];
        return output[..new FrameWriter(MaxPayload).Write(message, sequence, output, 0)];
    }

    private static byte[] Heartbeat(ushort sequence) => Frame(new HeartbeatMessage(1000u + sequence, sequence), sequence);

    /// <summary>Pushes the stream byte by byte; returns every frame end as (error, seq, offset).</summary>
    private static List<(FrameError Error, ushort Seq, long Offset)> Read(FrameReader reader, IEnumerable<byte> stream)
    {
        var frames = new List<(FrameError, ushort, long)>();
        foreach (var b in stream)
        {
            if (reader.Push(b))
            {
                frames.Add((reader.LastError, reader.Sequence, reader.FrameStartOffset));
            }
        }
        return frames;
    }

    [Fact]
    public void Good_frames_come_out_with_type_sequence_payload_and_offset()
    {
        var first = Heartbeat(7);
        var second = Frame(new AckMessage(65535, 300), 65535);
        var reader = new FrameReader(MaxPayload);

        foreach (var b in first[..^1])
        {
            Assert.False(reader.Push(b));
        }
        Assert.True(reader.Push(first[^1]));
        Assert.Equal(FrameError.None, reader.LastError);
        Assert.Equal(WireConstants.ProtocolVersion, reader.Version);
        Assert.Equal(MessageType.Heartbeat, reader.Type);
        Assert.Equal((ushort)7, reader.Sequence);
        var heartbeat = Assert.IsType<HeartbeatMessage>(MessageCodec.Decode(reader.Type, reader.Payload, 0, reader.PayloadCount));
        Assert.Equal(1007u, heartbeat.UptimeMs);
        Assert.Equal(0L, reader.FrameStartOffset);

        Assert.Equal(second.Length, reader.Push(second, 0, second.Length));
        var ack = Assert.IsType<AckMessage>(MessageCodec.Decode(reader.Type, reader.Payload, 0, reader.PayloadCount));
        Assert.Equal((ushort)65535, ack.AckedSeq);
        Assert.Equal(300u, ack.Credits);
        Assert.Equal((long)first.Length, reader.FrameStartOffset);
        Assert.Equal(2, reader.GoodFrames);
        Assert.Equal(0, reader.BadFrames);
    }

    [Fact]
    public void Frame_layout_is_cobs_of_version_type_sequence_payload_crc()
    {
        var frame = Heartbeat(0x0102);
        var body = new byte[frame.Length];
        var length = Cobs.Decode(frame, 0, frame.Length - 1, body, 0);
        Assert.Equal(0, frame[^1]);
        Assert.Equal(new byte[] { 1, MessageType.Heartbeat, 0x02, 0x01 }, body[..4]);
        var crc = BitConverter.ToUInt32(body, length - 4);
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(body.AsSpan(0, length - 4)), crc);
    }

    [Fact]
    public void Empty_frames_between_delimiters_are_ignored()
    {
        var reader = new FrameReader(MaxPayload);
        var frames = Read(reader, new byte[] { 0, 0, 0 }.Concat(Heartbeat(1)).Concat(new byte[] { 0, 0 }));
        Assert.Single(frames);
        Assert.Equal(FrameError.None, frames[0].Error);
        Assert.Equal(3L, frames[0].Offset);
        Assert.Equal(0, reader.BadFrames);
    }

    [Fact]
    public void A_bit_flip_is_a_crc_or_cobs_error_and_the_next_frame_decodes()
    {
        for (var bit = 0; bit < 8 * 12; bit++)
        {
            var damaged = Heartbeat(1);
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            if (damaged[bit / 8] == 0)
            {
                continue; // a flip to 0x00 splits the frame: covered by the random damage property
            }
            var reader = new FrameReader(MaxPayload);
            var frames = Read(reader, damaged.Concat(Heartbeat(2)));
            Assert.Equal(2, frames.Count);
            Assert.Contains(frames[0].Error, new[] { FrameError.Crc, FrameError.Cobs, FrameError.Truncated });
            Assert.Equal((FrameError.None, (ushort)2), (frames[1].Error, frames[1].Seq));
            Assert.Equal((1, 1), (reader.GoodFrames, reader.BadFrames));
        }
    }

    [Fact]
    public void A_frame_too_short_for_header_and_crc_is_truncated()
    {
        var reader = new FrameReader(MaxPayload);
        var frames = Read(reader, new byte[] { 0x04, 1, 0x30, 7, 0 }.Concat(Heartbeat(3)));
        Assert.Equal(FrameError.Truncated, frames[0].Error);
        Assert.Equal(FrameError.None, frames[1].Error);
    }

    [Fact]
    public void A_cut_frame_followed_by_its_delimiter_is_an_error_and_the_next_frame_decodes()
    {
        var whole = Heartbeat(4);
        for (var keep = 1; keep < whole.Length - 1; keep++)
        {
            var reader = new FrameReader(MaxPayload);
            var frames = Read(reader, whole[..keep].Append((byte)0).Concat(Heartbeat(5)));
            Assert.NotEqual(FrameError.None, frames[0].Error);
            Assert.Equal((FrameError.None, (ushort)5), (frames[^1].Error, frames[^1].Seq));
        }
    }

    [Fact]
    public void Garbage_between_frames_spoils_one_frame_only()
    {
        var garbage = new byte[] { 0x55, 0xAA, 0x13, 0x37 };
        var reader = new FrameReader(MaxPayload);
        var frames = Read(reader, Heartbeat(1).Concat(garbage).Concat(Heartbeat(2)).Concat(Heartbeat(3)));
        Assert.Equal(3, frames.Count);
        Assert.Equal((FrameError.None, (ushort)1), (frames[0].Error, frames[0].Seq));
        Assert.NotEqual(FrameError.None, frames[1].Error);
        Assert.Equal((FrameError.None, (ushort)3), (frames[2].Error, frames[2].Seq));
    }

    [Fact]
    public void Wrong_version_with_good_crc_is_reported_as_version()
    {
        var payload = new byte[] { 0x92, 0x01, 0x02 };
        var body = new byte[] { 2, MessageType.Heartbeat, 9, 0 }.Concat(payload).ToList();
        body.AddRange(BitConverter.GetBytes(System.IO.Hashing.Crc32.HashToUInt32(body.ToArray())));
        var encoded = new byte[Cobs.MaxEncodedLength(body.Count) + 1];
        var length = Cobs.Encode(body.ToArray(), 0, body.Count, encoded, 0);
        var reader = new FrameReader(MaxPayload);
        var frames = Read(reader, encoded[..(length + 1)]);
        Assert.Equal(FrameError.Version, frames.Single().Error);
        Assert.Equal(2, reader.Version);
        Assert.Equal(0, reader.GoodFrames);
    }

    [Fact]
    public void An_endless_stream_without_zero_never_grows_and_ends_as_one_oversize_frame()
    {
        var reader = new FrameReader(64);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000_000; i++)
        {
            Assert.False(reader.Push((byte)(i % 255 + 1)));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"pushing 1 MB without a delimiter allocated {allocated} bytes");
        Assert.True(reader.Push(0));
        Assert.Equal(FrameError.Oversize, reader.LastError);
        Assert.Equal(0L, reader.FrameStartOffset);
        var frames = Read(reader, Frame(new HeartbeatMessage(1, 2), 9));
        Assert.Equal((FrameError.None, (ushort)9), (frames.Single().Error, frames.Single().Seq));
    }

    [Fact]
    public void Writer_and_reader_allocate_nothing_per_frame_in_steady_state()
    {
        var writer = new FrameWriter(MaxPayload);
        var reader = new FrameReader(MaxPayload);
        var records = new byte[700];
        var recordWriter = new DetectionRecordWriter(records, 0, 0);
        for (uint pulse = 0; pulse < 300; pulse++)
        {
            recordWriter.Append(pulse, DetectorCode.Apd0); // two bytes per record: 600 bytes
        }
        var message = new DetectionBatchMessage { BlockId = 3, RecordCount = (uint)recordWriter.Count, Records = records[..recordWriter.Length] };
        var output = new byte[FrameWriter.MaxFrameLength(MaxPayload)];
        var good = WriteAndRead(0, 1); // warm up: static tables, JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        good += WriteAndRead(1, 1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1001, good);
        Assert.True(allocated < 1024, $"1000 frames allocated {allocated} bytes");

        int WriteAndRead(int firstSequence, int frames)
        {
            var decoded = 0;
            for (var sequence = firstSequence; sequence < firstSequence + frames; sequence++)
            {
                var length = writer.Write(message, (ushort)sequence, output, 0);
                for (var i = 0; i < length; i++)
                {
                    if (reader.Push(output[i]) && reader.LastError == FrameError.None && reader.Sequence == (ushort)sequence)
                    {
                        decoded++;
                    }
                }
            }
            return decoded;
        }
    }

    [Fact]
    public void Payload_over_the_limit_is_refused_by_the_writer()
    {
        var writer = new FrameWriter(64);
        var output = new byte[FrameWriter.MaxFrameLength(2000)];
        Assert.Throws<WireFormatException>(() => writer.Write(new BasisChunkMessage { Table = new byte[100] }, 1, output, 0));
        Assert.Throws<WireFormatException>(() => writer.WriteRaw(MessageType.BasisChunk, 1, new byte[65], 0, 65, output, 0));
    }

    [Fact]
    public void A_frame_from_a_larger_payload_limit_is_oversize_for_a_smaller_reader()
    {
        var big = Frame(new BasisChunkMessage { Table = new byte[500] }, 1);
        var reader = new FrameReader(100);
        var frames = Read(reader, big.Concat(Frame(new HeartbeatMessage(1, 1), 2)));
        Assert.Equal(new[] { FrameError.Oversize, FrameError.None }, frames.Select(f => f.Error));
    }

    [Fact]
    public void End_of_stream_reports_an_unterminated_frame_as_truncated()
    {
        var reader = new FrameReader(MaxPayload);
        var frame = Heartbeat(1);
        Read(reader, frame[..5]);
        Assert.True(reader.EndOfStream());
        Assert.Equal(FrameError.Truncated, reader.LastError);
        Assert.False(reader.EndOfStream());
    }

    /// <summary>A random mix of intact and damaged frames: every intact frame comes out, in order.</summary>
    [Property(MaxTest = 150)]
    public void Random_damage_never_throws_and_every_intact_frame_is_decoded(int seed)
    {
        var random = new Random(seed);
        var reader = new FrameReader(MaxPayload);
        var stream = new List<byte>();
        var intact = new List<ushort>();
        var damagedCount = 0;
        for (ushort sequence = 0; sequence < 30; sequence++)
        {
            var contract = RandomMessages.Contract(WireSerializer.Contracts.Keys.ElementAt(random.Next(WireSerializer.Contracts.Count)), random);
            if (WireSerializer.Serialize(contract).Length > MaxPayload)
            {
                continue;
            }
            var frame = HostFrameEncoder.Encode(contract, sequence).ToList();
            var body = frame.Count - 1;
            switch (random.Next(5))
            {
                case 0: // bit flip
                    var at = random.Next(body);
                    frame[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // lost bytes
                    var lost = 1 + random.Next(3);
                    frame.RemoveRange(random.Next(body - lost + 1), lost);
                    break;
                case 2: // garbage (no delimiter) inserted into the frame
                    var garbage = new byte[1 + random.Next(8)];
                    random.NextBytes(garbage);
                    frame.InsertRange(random.Next(body), garbage.Select(g => g == 0 ? (byte)0x5A : g));
                    break;
                default:
                    intact.Add(sequence);
                    stream.AddRange(frame);
                    continue;
            }
            damagedCount++;
            stream.AddRange(frame);
        }

        var frames = Read(reader, stream);

        Assert.Equal(intact, frames.Where(f => f.Error == FrameError.None).Select(f => f.Seq));
        Assert.Equal(intact.Count, reader.GoodFrames);
        Assert.True(reader.BadFrames >= damagedCount);
    }
}
