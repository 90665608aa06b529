using Qkd.Wire.Link;
using Qkd.Wire.Tests.Support;

namespace Qkd.Wire.Tests;

/// <summary>
/// Offset/count arguments whose sum overflows int must be refused, not wrap negative and pass the
/// check (then read outside the range or silently nothing).
/// </summary>
public class RangeCheckTests
{
    private static readonly (int Offset, int Count)[] OverflowingRanges =
    [
        (5, int.MaxValue),
        (int.MaxValue, 5),
        (int.MaxValue, int.MaxValue),
        (11, 0), // offset past the end of a 10-byte buffer
    ];

    [Fact]
    public void MsgPackReader_refuses_a_range_whose_end_overflows()
    {
        var buffer = new byte[10];
        foreach (var (offset, count) in OverflowingRanges)
        {
            Assert.Throws<ArgumentException>(() => new MsgPackReader(buffer, offset, count));
        }
        Assert.Equal(0, new MsgPackReader(buffer, 10, 0).Remaining);
    }

    [Fact]
    public void DetectionRecordReader_refuses_a_range_whose_end_overflows()
    {
        var buffer = new byte[10];
        foreach (var (offset, count) in OverflowingRanges)
        {
            Assert.Throws<ArgumentException>(() => new DetectionRecordReader(buffer, offset, count, 0));
            Assert.Throws<ArgumentException>(() => DetectionRecordReader.Validate(buffer, offset, count, 0, 0));
        }
    }

    [Fact]
    public void MsgPackWriter_refuses_a_bin_range_outside_its_source_before_writing_anything()
    {
        var output = new byte[64];
        var writer = new MsgPackWriter(output, 0);
        var source = new byte[10];
        foreach (var (offset, count) in OverflowingRanges.Append((8, 3)).Append((0, -1)).Append((-1, 2)))
        {
            Assert.Throws<ArgumentException>(() => writer.WriteBin(source, offset, count));
            Assert.Equal(0, writer.Position); // no half-written header
        }
        writer.WriteBin(source, 8, 2);
        Assert.Equal(4, writer.Position);
    }

    [Fact]
    public void ReliableLink_refuses_a_received_range_whose_end_overflows()
    {
        var link = new ReliableLink(new LinkCapture(), new LinkRecorder(), new LinkOptions());
        var buffer = new byte[10];
        foreach (var (offset, count) in OverflowingRanges)
        {
            Assert.Throws<ArgumentException>(() => link.OnBytesReceived(buffer, offset, count, 0));
        }
    }
}
