using FsCheck;
using FsCheck.Xunit;

namespace Qkd.Wire.Tests;

public class DetectionRecordTests
{
    [Property(MaxTest = 300)]
    public void Records_round_trip_in_order(uint basePulse, byte[] gaps, byte[] detectors)
    {
        var count = Math.Min(gaps.Length, detectors.Length);
        var expected = new List<(uint Pulse, byte Detector)>();
        ulong pulse = basePulse;
        for (var i = 0; i < count; i++)
        {
            pulse += (ulong)(i == 0 ? gaps[i] : gaps[i] * 1000 + 1);
            if (pulse > uint.MaxValue)
            {
                break;
            }
            expected.Add(((uint)pulse, (byte)(detectors[i] % 3 + 1)));
        }
        var buffer = new byte[expected.Count * DetectionRecordWriter.MaxRecordBytes];
        var writer = new DetectionRecordWriter(buffer, 0, basePulse);
        foreach (var (p, d) in expected)
        {
            writer.Append(p, d);
        }

        var reader = new DetectionRecordReader(buffer, 0, writer.Length, basePulse);
        var actual = new List<(uint, byte)>();
        while (reader.MoveNext())
        {
            actual.Add((reader.PulseIndex, reader.Detector));
        }
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Count, writer.Count);
    }

    [Fact]
    public void Encoding_is_varint_delta_then_detector_byte()
    {
        var buffer = new byte[32];
        var writer = new DetectionRecordWriter(buffer, 0, 1000);
        writer.Append(1000, DetectorCode.Apd0);        // delta 0
        writer.Append(1300, DetectorCode.DoubleClick); // delta 300 = 0xAC 0x02
        Assert.Equal(new byte[] { 0x00, 0x01, 0xAC, 0x02, 0x03 }, buffer[..writer.Length]);
    }

    [Fact]
    public void Writer_refuses_records_out_of_pulse_order_or_with_bad_detector()
    {
        var writer = new DetectionRecordWriter(new byte[32], 0, 10);
        writer.Append(12, DetectorCode.Apd1);
        Assert.Throws<ArgumentException>(() => writer.Append(12, DetectorCode.Apd0));
        Assert.Throws<ArgumentException>(() => writer.Append(11, DetectorCode.Apd0));
        Assert.Throws<ArgumentException>(() => writer.Append(13, 4));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]                         // varint never ends
    [InlineData(new byte[] { 0x05 })]                         // no detector byte
    [InlineData(new byte[] { 0x05, 0x04 })]                   // detector code 4
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x01 })] // pulse index past uint
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x02 })]       // two records for one pulse
    public void Reader_rejects_malformed_records(byte[] records)
    {
        var reader = new DetectionRecordReader(records, 0, records.Length, 0);
        Assert.Throws<WireFormatException>(() =>
        {
            while (reader.MoveNext())
            {
            }
        });
    }
}
