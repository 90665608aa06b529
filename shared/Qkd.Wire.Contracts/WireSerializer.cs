using MessagePack;

namespace Qkd.Wire.Contracts;

/// <summary>
/// MessagePack-CSharp side of the wire: contracts to payload bytes and back, always with
/// UntrustedData security (payloads come from serial lines and sniffers), never Typeless or LZ4.
/// The mapping to the portable messages goes through the payload bytes themselves, so it can
/// never disagree with what travels on the wire.
/// </summary>
public static class WireSerializer
{
    public static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private static readonly Dictionary<byte, Type> ContractTypes = new()
    {
        [MessageType.Hello] = typeof(HelloContract),
        [MessageType.Ack] = typeof(AckContract),
        [MessageType.Nack] = typeof(NackContract),
        [MessageType.Error] = typeof(ErrorContract),
        [MessageType.Configure] = typeof(ConfigureContract),
        [MessageType.Credit] = typeof(CreditContract),
        [MessageType.BasisChunk] = typeof(BasisChunkContract),
        [MessageType.ArmBlock] = typeof(ArmBlockContract),
        [MessageType.Start] = typeof(StartContract),
        [MessageType.Stop] = typeof(StopContract),
        [MessageType.BlockStatus] = typeof(BlockStatusContract),
        [MessageType.DetectionBatch] = typeof(DetectionBatchContract),
        [MessageType.BlockDone] = typeof(BlockDoneContract),
        [MessageType.DacWrite] = typeof(DacWriteContract),
        [MessageType.DacReadback] = typeof(DacReadbackContract),
        [MessageType.BenchRun] = typeof(BenchRunContract),
        [MessageType.BenchReport] = typeof(BenchReportContract),
        [MessageType.Heartbeat] = typeof(HeartbeatContract),
    };

    /// <summary>Every message type byte with its contract class.</summary>
    public static IReadOnlyDictionary<byte, Type> Contracts => ContractTypes;

    /// <summary>The contract class of a message type, or null when no message has that type.</summary>
    public static Type? ContractType(byte type) => ContractTypes.GetValueOrDefault(type);

    public static byte[] Serialize(IWireContract message) =>
        MessagePackSerializer.Serialize(message.GetType(), message, Options);

    /// <summary>
    /// Reads a payload of the given type. Returns null for an unknown type; throws
    /// <see cref="WireFormatException"/> when the payload is malformed or has trailing bytes.
    /// </summary>
    public static IWireContract? Deserialize(byte type, ReadOnlyMemory<byte> payload)
    {
        var contractType = ContractType(type);
        if (contractType is null)
        {
            return null;
        }
        try
        {
            var reader = new MessagePackReader(payload);
            var value = MessagePackSerializer.Deserialize(contractType, ref reader, Options);
            if (value is not IWireContract contract)
            {
                throw new WireFormatException("payload is nil");
            }
            if (reader.Consumed != payload.Length)
            {
                throw new WireFormatException("bytes after the message");
            }
            if (contract is DetectionBatchContract batch)
            {
                // Same rule as the portable reader: recordCount must match the records present.
                DetectionBatchMessage.CheckRecords(batch.BasePulseIndex, batch.RecordCount, batch.Records);
            }
            return contract;
        }
        catch (MessagePackSerializationException e)
        {
            throw new WireFormatException("malformed " + MessageType.Name(type) + " payload: " + (e.InnerException?.Message ?? e.Message));
        }
    }

    /// <summary>The portable message with the same fields.</summary>
    public static WireMessage ToPortable(IWireContract message)
    {
        var payload = Serialize(message);
        return MessageCodec.Decode(message.Type, payload, 0, payload.Length)
               ?? throw new InvalidOperationException("contract without a portable message");
    }

    /// <summary>The contract with the same fields as a portable message.</summary>
    public static IWireContract FromPortable(WireMessage message)
    {
        var buffer = new byte[64];
        while (true)
        {
            var writer = new MsgPackWriter(buffer, 0);
            try
            {
                message.Write(writer);
            }
            catch (WireFormatException) when (buffer.Length < 1 << 26)
            {
                buffer = new byte[buffer.Length * 4];
                continue;
            }
            return Deserialize(message.Type, buffer.AsMemory(0, writer.Position))
                   ?? throw new InvalidOperationException("portable message without a contract");
        }
    }
}
