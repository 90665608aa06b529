using System.Reflection;
using Qkd.Wire.Contracts;

namespace Qkd.Wire.Tests;

/// <summary>Every message: host contract and portable codec produce and accept the same bytes.</summary>
public class MessageInteropTests
{
    public static TheoryData<byte> AllTypes()
    {
        var data = new TheoryData<byte>();
        foreach (var type in WireSerializer.Contracts.Keys.Order())
        {
            data.Add(type);
        }
        return data;
    }

    [Fact]
    public void Every_issue_2_type_number_has_a_contract_a_portable_message_and_a_name()
    {
        byte[] issueTypes = [0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x30];
        Assert.Equal(issueTypes, WireSerializer.Contracts.Keys.Order());
        foreach (var type in issueTypes)
        {
            Assert.NotNull(MessageType.Name(type));
            Assert.Equal(type, RandomMessages.Portable(type, new Random(1)).Type);
            Assert.Equal(MessageType.Name(type) + "Contract", WireSerializer.ContractType(type)!.Name);
        }
        Assert.Null(MessageType.Name(0x7F));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Contract_and_portable_message_have_the_same_fields_in_the_same_order(byte type)
    {
        var contractFields = RandomMessages.KeyedProperties(WireSerializer.ContractType(type)!).Select(p => (p.Name, p.GetCustomAttribute<MessagePack.KeyAttribute>()!.IntKey));
        var portableFields = RandomMessages.Portable(type, new Random(1)).GetType()
            .GetFields(BindingFlags.Public | BindingFlags.Instance).Select((f, i) => (f.Name, (int?)i));
        Assert.Equal(portableFields, contractFields);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Host_contract_to_bytes_to_portable_decoder_is_equal_and_byte_identical(byte type)
    {
        var random = new Random(type);
        for (var round = 0; round < 40; round++)
        {
            var contract = RandomMessages.Contract(type, random);
            var bytes = WireSerializer.Serialize(contract);

            var portable = MessageCodec.Decode(type, bytes, 0, bytes.Length);

            Assert.NotNull(portable);
            AssertSameFields(contract, portable);
            Assert.Equal(bytes, PortableBytes(portable));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Portable_to_bytes_to_host_contract_is_equal_and_byte_identical(byte type)
    {
        var random = new Random(1000 + type);
        for (var round = 0; round < 40; round++)
        {
            var portable = RandomMessages.Portable(type, random);
            var bytes = PortableBytes(portable);

            var contract = WireSerializer.Deserialize(type, bytes);

            Assert.NotNull(contract);
            AssertSameFields(contract, portable);
            Assert.Equal(bytes, WireSerializer.Serialize(contract));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Host_frame_encoder_and_portable_frame_writer_emit_the_same_frame(byte type)
    {
        var random = new Random(2000 + type);
        var writer = new FrameWriter(WireConstants.MaxPayloadBytes);
        var output = new byte[FrameWriter.MaxFrameLength(WireConstants.MaxPayloadBytes)];
        var written = 0;
        for (var round = 0; round < 40; round++)
        {
            var contract = RandomMessages.Contract(type, random);
            if (WireSerializer.Serialize(contract).Length > WireConstants.MaxPayloadBytes)
            {
                continue;
            }
            var sequence = (ushort)random.Next(65536);
            var portableFrame = output[..writer.Write(WireSerializer.ToPortable(contract), sequence, output, 0)];
            Assert.Equal(HostFrameEncoder.Encode(contract, sequence), portableFrame);
            written++;
        }
        Assert.True(written >= 10, "too few random messages fitted a frame to test");
    }

    [Fact]
    public void Heartbeat_payload_is_the_two_field_array_of_the_issue()
    {
        var bytes = WireSerializer.Serialize(new HeartbeatContract { UptimeMs = 300, Alerts = 0x20 });
        Assert.Equal(new byte[] { 0x92, 0xCD, 0x01, 0x2C, 0x20 }, bytes);
        var heartbeat = Assert.IsType<HeartbeatMessage>(MessageCodec.Decode(MessageType.Heartbeat, bytes, 0, bytes.Length));
        Assert.Equal(300u, heartbeat.UptimeMs);
        Assert.Equal(0x20u, heartbeat.Alerts);
    }

    [Fact]
    public void Readers_skip_fields_a_newer_peer_appends()
    {
        byte[] payload = [0x93, 0x05, 0x06, 0xA2, (byte)'h', (byte)'i']; // Heartbeat + one unknown field
        var heartbeat = Assert.IsType<HeartbeatMessage>(MessageCodec.Decode(MessageType.Heartbeat, payload, 0, payload.Length));
        Assert.Equal(5u, heartbeat.UptimeMs);
        var contract = Assert.IsType<HeartbeatContract>(WireSerializer.Deserialize(MessageType.Heartbeat, payload));
        Assert.Equal(6u, contract.Alerts);
    }

    [Fact]
    public void Malformed_payloads_throw_WireFormatException_on_both_sides()
    {
        byte[][] bad =
        [
            [0x91, 0x05],             // too few fields
            [0x92, 0x05],             // array ends early
            [0x92, 0x05, 0x06, 0x07], // bytes after the message
            [0x92, 0xFF, 0x06],       // negative uptime
            [0xC0],                   // nil instead of an array
        ];
        foreach (var payload in bad)
        {
            Assert.Throws<WireFormatException>(() => MessageCodec.Decode(MessageType.Heartbeat, payload, 0, payload.Length));
        }
        foreach (var payload in bad.Skip(1))
        {
            Assert.Throws<WireFormatException>(() => WireSerializer.Deserialize(MessageType.Heartbeat, payload));
        }
    }

    [Fact]
    public void Unknown_type_decodes_to_null()
    {
        byte[] payload = [0x90];
        Assert.Null(MessageCodec.Decode(0x7F, payload, 0, 1));
        Assert.Null(WireSerializer.Deserialize(0x7F, payload));
    }

    internal static byte[] PortableBytes(WireMessage message)
    {
        var buffer = new byte[200_000];
        var writer = new MsgPackWriter(buffer, 0);
        message.Write(writer);
        return buffer[..writer.Position];
    }

    private static void AssertSameFields(object contract, WireMessage portable)
    {
        foreach (var field in portable.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            var expected = contract.GetType().GetProperty(field.Name)!.GetValue(contract);
            var actual = field.GetValue(portable);
            if (actual is BenchTiming[] timings)
            {
                var contractTimings = (BenchTimingContract[])expected!;
                Assert.Equal(
                    contractTimings.Select(t => (t.From, t.To, t.SettleNs, t.SettleMaxNs)),
                    timings.Select(t => (t.From, t.To, t.SettleNs, t.SettleMaxNs)));
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }
    }
}
