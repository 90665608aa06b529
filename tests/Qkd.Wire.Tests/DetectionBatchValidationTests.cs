using Qkd.Wire.Contracts;

namespace Qkd.Wire.Tests;

/// <summary>A DetectionBatch whose recordCount disagrees with its records is malformed on both sides.</summary>
public class DetectionBatchValidationTests
{
    private static (byte[] Records, int Count) ThreeRecords()
    {
        var buffer = new byte[32];
        var writer = new DetectionRecordWriter(buffer, 0, 1000);
        writer.Append(1000, DetectorCode.Apd0);
        writer.Append(1300, DetectorCode.DoubleClick);
        writer.Append(5000, DetectorCode.Apd1);
        return (buffer[..writer.Length], writer.Count);
    }

    private static byte[] Payload(uint recordCount, byte[]? records) =>
        WireSerializer.Serialize(new DetectionBatchContract
        {
            BlockId = 1, BatchIndex = 0, BasePulseIndex = 1000, RecordCount = recordCount, Records = records!,
        });

    [Fact]
    public void A_matching_record_count_decodes_on_both_sides()
    {
        var (records, count) = ThreeRecords();
        var payload = Payload((uint)count, records);

        var portable = Assert.IsType<DetectionBatchMessage>(MessageCodec.Decode(MessageType.DetectionBatch, payload, 0, payload.Length));
        Assert.Equal(3u, portable.RecordCount);
        Assert.Equal(records, portable.Records);
        Assert.IsType<DetectionBatchContract>(WireSerializer.Deserialize(MessageType.DetectionBatch, payload));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    [InlineData(4u)]
    [InlineData(uint.MaxValue)]
    public void A_record_count_that_disagrees_with_the_records_is_a_format_error_on_both_sides(uint claimed)
    {
        var (records, _) = ThreeRecords();
        var payload = Payload(claimed, records);

        Assert.Throws<WireFormatException>(() => MessageCodec.Decode(MessageType.DetectionBatch, payload, 0, payload.Length));
        Assert.Throws<WireFormatException>(() => WireSerializer.Deserialize(MessageType.DetectionBatch, payload));
    }

    [Fact]
    public void Nil_or_empty_records_are_valid_only_with_a_zero_count()
    {
        foreach (var records in new[] { null, Array.Empty<byte>() })
        {
            var empty = Payload(0, records);
            var decoded = Assert.IsType<DetectionBatchMessage>(MessageCodec.Decode(MessageType.DetectionBatch, empty, 0, empty.Length));
            Assert.Empty(decoded.Records); // nil decodes as no records, never null: readers can walk it as is
            var claimed = Payload(1, records);
            Assert.Throws<WireFormatException>(() => MessageCodec.Decode(MessageType.DetectionBatch, claimed, 0, claimed.Length));
            Assert.Throws<WireFormatException>(() => WireSerializer.Deserialize(MessageType.DetectionBatch, claimed));
        }
    }

    [Fact]
    public void Malformed_records_are_a_format_error_even_with_a_plausible_count()
    {
        byte[] badDetector = [0x00, 0x01, 0x05, 0x07]; // second record's detector byte is 7
        var payload = Payload(2, badDetector);
        Assert.Throws<WireFormatException>(() => MessageCodec.Decode(MessageType.DetectionBatch, payload, 0, payload.Length));
    }

    [Fact]
    public void The_portable_writer_refuses_a_batch_the_peer_would_reject()
    {
        var (records, _) = ThreeRecords();
        var batch = new DetectionBatchMessage { BasePulseIndex = 1000, RecordCount = 2, Records = records };
        var frameWriter = new FrameWriter(WireConstants.MaxPayloadBytes);
        var output = new byte[FrameWriter.MaxFrameLength(WireConstants.MaxPayloadBytes)];

        Assert.Throws<WireFormatException>(() => frameWriter.Write(batch, 1, output, 0));
        batch.RecordCount = 3;
        Assert.True(frameWriter.Write(batch, 1, output, 0) > 0);
    }

    [Fact]
    public void Validation_allocates_nothing()
    {
        var (records, count) = ThreeRecords();
        DetectionRecordReader.Validate(records, 0, records.Length, 1000, (uint)count); // JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            DetectionRecordReader.Validate(records, 0, records.Length, 1000, (uint)count);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
