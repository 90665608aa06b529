using Qkd.Wire.Contracts;

namespace Qkd.Wire.Fuzz;

/// <summary>Writes the seed corpus: valid frames of several types, several per file, and damaged ones.</summary>
public static class SeedCorpus
{
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var heartbeat = HostFrameEncoder.Encode(new HeartbeatContract { UptimeMs = 123456, Alerts = 0x20 }, 7);
        var ack = HostFrameEncoder.Encode(new AckContract { AckedSeq = 65535, Credits = 8 }, 8);
        var hello = HostFrameEncoder.Encode(new HelloContract
        {
            ProtocolVersion = 1, FirmwareVersion = "0.1.0", BoardId = "alice-esp32-01", Role = BoardRole.Alice,
            TableBufferBytes = 65536, MaxPulseRateHz = 80000, PulseEngine = PulseEngineKind.Managed,
        }, 0);
        var configure = HostFrameEncoder.Encode(new ConfigureContract
        {
            Role = BoardRole.Bob, DacSyncPin = 5, DacSclkPin = 18, DacSdinPin = 23, DacSdoPin = 19, DacLdacPin = 21,
            DacClrPin = 22, MuxEnPin = 25, MuxA0Pin = 26, MuxA1Pin = -1, TriggerInPin = 34, ApdGateOutPin = 27,
            Apd0LatchPin = 35, Apd1LatchPin = 32, ScopeSyncPin = 33, SpiBus = 1, SpiClockHz = 10_000_000,
            DacRangeCode = 4, DacCoding = DacCoding.TwosComplement, ChannelCodes = [0, 16384],
            GateDelayNs = 120, GateWidthNs = 40, TriggerEdge = TriggerEdge.Rising, PulseEngine = PulseEngineKind.HardwareTimed,
        }, 1);
        var records = new byte[64];
        var recordWriter = new DetectionRecordWriter(records, 0, 5000);
        recordWriter.Append(5003, DetectorCode.Apd0);
        recordWriter.Append(5400, DetectorCode.Apd1);
        recordWriter.Append(90000, DetectorCode.DoubleClick);
        var detections = HostFrameEncoder.Encode(new DetectionBatchContract
        {
            BlockId = 3, BatchIndex = 1, BasePulseIndex = 5000, RecordCount = 3, Records = records[..recordWriter.Length],
        }, 9);
        var chunk = HostFrameEncoder.Encode(new BasisChunkContract
        {
            BlockId = 3, Offset = 512, Table = Enumerable.Range(0, 200).Select(i => (byte)(i * 37)).ToArray(),
        }, 10);
        var report = HostFrameEncoder.Encode(new BenchReportContract
        {
            RateHz = 500_000, Repeats = 100,
            Timings = [new() { From = 0, To = 1, SettleNs = 950, SettleMaxNs = 1200 }, new() { From = 3, To = 2, SettleNs = 1010, SettleMaxNs = 1500 }],
        }, 11);
        var error = HostFrameEncoder.Encode(new ErrorContract { Code = ErrorCode.BadState, Text = "block 3 not armed" }, 12);

        var crcFlip = (byte[])heartbeat.Clone();
        crcFlip[^3] ^= 0x10;
        var unknownType = HostFrameEncoder.EncodeRaw(0x7E, 13, [0x90]);
        var badPayload = HostFrameEncoder.EncodeRaw(MessageType.Heartbeat, 14, [0x92, 0xA1, 0x41, 0x00]);
        var newerPeer = HostFrameEncoder.EncodeRaw(MessageType.Heartbeat, 15, [0x93, 0x05, 0x06, 0xA2, 0x68, 0x69]);
        byte[] garbage = [0x55, 0xAA, 0x13, 0x37, 0xFF];

        File.WriteAllBytes(Path.Combine(directory, "heartbeat.bin"), heartbeat);
        File.WriteAllBytes(Path.Combine(directory, "hello-configure.bin"), [.. hello, .. configure]);
        File.WriteAllBytes(Path.Combine(directory, "detections-ack.bin"), [.. detections, .. ack]);
        File.WriteAllBytes(Path.Combine(directory, "chunk-report-error.bin"), [.. chunk, .. report, .. error]);
        File.WriteAllBytes(Path.Combine(directory, "damaged-crc-then-good.bin"), [.. crcFlip, .. heartbeat]);
        File.WriteAllBytes(Path.Combine(directory, "garbage-between.bin"), [.. heartbeat, .. garbage, .. ack, .. heartbeat]);
        File.WriteAllBytes(Path.Combine(directory, "truncated-tail.bin"), [.. heartbeat, .. configure[..20]]);
        File.WriteAllBytes(Path.Combine(directory, "unknown-type-bad-payload.bin"), [0, 0, .. unknownType, .. badPayload, .. newerPeer]);
    }
}
