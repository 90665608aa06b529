using System.Text.Json;
using Qkd.Wire;
using Qkd.Wire.Contracts;

namespace Qkd.Agent.Tests;

public sealed class WireDecodeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("qkd-wire-decode-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Capture(params byte[][] pieces)
    {
        var path = Path.Combine(_directory, "capture.bin");
        File.WriteAllBytes(path, pieces.SelectMany(p => p).ToArray());
        return path;
    }

    private static JsonElement[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    private static byte[] Heartbeat(ushort sequence, uint uptimeMs, uint alerts) =>
        HostFrameEncoder.Encode(new HeartbeatContract { UptimeMs = uptimeMs, Alerts = alerts }, sequence);

    [Fact]
    public void Prints_one_json_line_per_frame_with_offset_type_seq_and_camelCase_fields()
    {
        var heartbeat = Heartbeat(7, 123456, 0x20);
        var ack = HostFrameEncoder.Encode(new AckContract { AckedSeq = 6, Credits = 4 }, 8);
        var (exit, output, _) = CliTests.Run("wire", "decode", Capture(heartbeat, ack));

        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"offset":0,"type":"Heartbeat","seq":7,"fields":{"uptimeMs":123456,"alerts":32}}""",
            output.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal(heartbeat.Length, lines[1].GetProperty("offset").GetInt64());
        Assert.Equal("Ack", lines[1].GetProperty("type").GetString());
        Assert.Equal(6, lines[1].GetProperty("fields").GetProperty("ackedSeq").GetInt32());
        Assert.Equal(4, lines[1].GetProperty("fields").GetProperty("credits").GetInt32());
    }

    [Fact]
    public void Damaged_frames_are_reported_with_their_error_and_decoding_goes_on()
    {
        var crcDamaged = Heartbeat(1, 500, 0);
        crcDamaged[Array.IndexOf(crcDamaged, (byte)0xF4)] ^= 0x01; // uptime 500 = cd 01 f4: a payload byte, so COBS stays valid
        byte[] truncated = [0x03, 0x01, 0x30, 0x00];
        byte[] badCobs = [0x09, 0x01, 0x02, 0x00];
        var unknownType = HostFrameEncoder.EncodeRaw(0x7E, 3, [0x90]);
        var badPayload = HostFrameEncoder.EncodeRaw(MessageType.Heartbeat, 4, [0x92, 0xA1, 0x41, 0x00]);
        var good = Heartbeat(5, 900, 1);
        var path = Capture(crcDamaged, truncated, badCobs, unknownType, badPayload, good);

        var (exit, output, error) = CliTests.Run("wire", "decode", path);

        Assert.Equal(0, exit);
        Assert.Contains("3 intact frames (2 of them with unknown type or bad payload), 3 damaged frames", error);
        var lines = Lines(output);
        Assert.Equal(["crc", "truncated", "cobs", "unknown-type", "payload", null],
            lines.Select(l => l.TryGetProperty("error", out var e) ? e.GetString() : null));
        long offset = 0;
        var expectedOffsets = new[] { crcDamaged, truncated, badCobs, unknownType, badPayload, good }
            .Select(piece => { var at = offset; offset += piece.Length; return at; });
        Assert.Equal(expectedOffsets, lines.Select(l => l.GetProperty("offset").GetInt64()));
        Assert.Equal(0x7E, lines[3].GetProperty("typeCode").GetInt32());
        Assert.Equal(900, lines[5].GetProperty("fields").GetProperty("uptimeMs").GetInt32());
    }

    [Fact]
    public void A_capture_cut_in_the_middle_of_a_frame_ends_with_a_truncated_line()
    {
        var (exit, output, _) = CliTests.Run("wire", "decode", Capture(Heartbeat(1, 1, 1), Heartbeat(2, 2, 2)[..6]));
        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal("Heartbeat", lines[0].GetProperty("type").GetString());
        Assert.Equal("truncated", lines[1].GetProperty("error").GetString());
    }

    [Fact]
    public void Bin_fields_are_hex_and_raw_key_material_is_redacted_unless_asked()
    {
        var records = new byte[16];
        var writer = new DetectionRecordWriter(records, 0, 1000);
        writer.Append(1003, DetectorCode.Apd1);
        writer.Append(1300, DetectorCode.DoubleClick);
        var batch = HostFrameEncoder.Encode(new DetectionBatchContract
        {
            BlockId = 2, BatchIndex = 0, BasePulseIndex = 1000, RecordCount = 2, Records = records[..writer.Length],
        }, 1);
        var bench = HostFrameEncoder.Encode(new BenchRunContract { RateHz = 500_000, Repeats = 3, Transitions = [0, 1, 1, 0xAB] }, 2);
        var path = Capture(batch, bench);

        var (_, redacted, _) = CliTests.Run("wire", "decode", path);
        var (exit, revealed, _) = CliTests.Run("wire", "decode", path, "--show-raw-key-material");

        Assert.Equal(0, exit);
        Assert.Equal("redacted:5 bytes", Lines(redacted)[0].GetProperty("fields").GetProperty("records").GetString());
        Assert.False(Lines(redacted)[0].GetProperty("fields").TryGetProperty("detections", out _));
        Assert.Equal("000101ab", Lines(redacted)[1].GetProperty("fields").GetProperty("transitions").GetString());
        var fields = Lines(revealed)[0].GetProperty("fields");
        Assert.Equal("0302a90203", fields.GetProperty("records").GetString());
        Assert.Equal([(1003, 2), (1300, 3)],
            fields.GetProperty("detections").EnumerateArray().Select(d => (d.GetProperty("pulse").GetInt32(), d.GetProperty("detector").GetInt32())));
    }

    [Fact]
    public void Link_control_frames_say_what_their_header_sequence_means_and_data_frames_do_not()
    {
        var path = Capture(
            HostFrameEncoder.Encode(new HelloContract { BoardId = "bob-1", FirmwareVersion = "0.1.0" }, 500),
            HostFrameEncoder.Encode(new AckContract { AckedSeq = 7001, Credits = 8 }, 500),
            HostFrameEncoder.Encode(new NackContract { ExpectedSeq = 7002 }, 500),
            HostFrameEncoder.Encode(new CreditContract { Credits = 3 }, 7001),
            HostFrameEncoder.Encode(new CreditContract { Credits = 0 }, 7001),
            HostFrameEncoder.Encode(new StartContract { BlockId = 4 }, 501),
            Heartbeat(502, 1, 0));

        var (exit, output, _) = CliTests.Run("wire", "decode", path);

        Assert.Equal(0, exit);
        var meanings = Lines(output).Select(l => l.TryGetProperty("seqMeaning", out var m) ? m.GetString() : null).ToArray();
        Assert.Equal(7, meanings.Length);
        Assert.StartsWith("epoch", meanings[0]);
        Assert.Contains("send epoch", meanings[1]);
        Assert.Contains("cumulative ack", meanings[1]);
        Assert.Contains("send epoch", meanings[2]);
        Assert.StartsWith("cumulative ack the grant counts from", meanings[3]);
        Assert.StartsWith("probe", meanings[4]);
        Assert.Null(meanings[5]); // data: seq is the plain sequence number
        Assert.Null(meanings[6]); // heartbeat keeps the exact line format
    }

    [Fact]
    public void Basis_tables_are_redacted_with_their_byte_count_unless_asked()
    {
        var path = Capture(HostFrameEncoder.Encode(new BasisChunkContract { BlockId = 3, Offset = 64, Table = [0x1B, 0xE4, 0x00] }, 9));

        var (_, redacted, _) = CliTests.Run("wire", "decode", path);
        var (exit, revealed, _) = CliTests.Run("wire", "decode", path, "--show-raw-key-material");

        Assert.Equal(0, exit);
        var fields = Lines(redacted)[0].GetProperty("fields");
        Assert.Equal("redacted:3 bytes", fields.GetProperty("table").GetString());
        Assert.Equal(64, fields.GetProperty("offset").GetInt32());
        Assert.DoesNotContain("1be4", redacted);
        Assert.Equal("1be400", Lines(revealed)[0].GetProperty("fields").GetProperty("table").GetString());
    }

    [Fact]
    public void A_detection_batch_whose_count_disagrees_with_its_records_is_a_payload_error_and_shows_no_records()
    {
        var records = new byte[16];
        var writer = new DetectionRecordWriter(records, 0, 0);
        writer.Append(5, DetectorCode.Apd0);
        var lying = HostFrameEncoder.Encode(new DetectionBatchContract { BlockId = 1, RecordCount = 9, Records = records[..writer.Length] }, 3);
        var empty = HostFrameEncoder.Encode(new DetectionBatchContract { BlockId = 1, BatchIndex = 1, RecordCount = 0, Records = null! }, 4);

        var (exit, output, _) = CliTests.Run("wire", "decode", Capture(lying, empty), "--show-raw-key-material");

        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal("payload", lines[0].GetProperty("error").GetString());
        Assert.False(lines[0].TryGetProperty("fields", out _));
        Assert.Equal(0, lines[1].GetProperty("fields").GetProperty("detections").GetArrayLength());
    }

    [Fact]
    public void Missing_file_exits_2_with_a_clear_message()
    {
        var (exit, output, error) = CliTests.Run("wire", "decode", Path.Combine(_directory, "nope.bin"));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("cannot read", error);
        Assert.Contains("nope.bin", error);
    }

    [Fact]
    public void Directory_exits_2_with_a_clear_message()
    {
        var (exit, _, error) = CliTests.Run("wire", "decode", _directory);
        Assert.Equal(2, exit);
        Assert.Contains("is a directory", error);
    }

    [Fact]
    public void Empty_capture_prints_nothing_and_succeeds()
    {
        var (exit, output, _) = CliTests.Run("wire", "decode", Capture([]));
        Assert.Equal(0, exit);
        Assert.Equal("", output);
    }
}
