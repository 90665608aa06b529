using System.Reflection;
using MessagePack;
using Qkd.Wire.Contracts;

namespace Qkd.Wire.Tests;

/// <summary>
/// Fills host contracts and portable messages with random field values, biased to the values where
/// MessagePack switches encodings (127/128, 255/256, 65535/65536, -32/-33, ...).
/// </summary>
internal static class RandomMessages
{
    private static readonly long[] IntEdges = [0, 1, 127, 128, 255, 256, 32767, 32768, 65535, 65536, int.MaxValue, -1, -32, -33, -128, -129, -32768, -32769, int.MinValue];
    private static readonly int[] LengthEdges = [0, 1, 15, 16, 31, 32, 255, 256];

    public static IEnumerable<PropertyInfo> KeyedProperties(Type contractType) =>
        contractType.GetProperties()
            .Where(p => p.GetCustomAttribute<KeyAttribute>() is not null)
            .OrderBy(p => p.GetCustomAttribute<KeyAttribute>()!.IntKey);

    public static IWireContract Contract(byte type, Random random)
    {
        var contractType = WireSerializer.ContractType(type)!;
        var contract = (IWireContract)Fill(contractType, random);
        if (contract is DetectionBatchContract batch)
        {
            (batch.Records, batch.RecordCount) = ValidRecords(batch.BasePulseIndex, random);
        }
        return contract;
    }

    /// <summary>
    /// Well-formed records matching their count (decoders reject a batch whose recordCount disagrees),
    /// with varint deltas of 1 to 5 bytes.
    /// </summary>
    private static (byte[] Records, uint Count) ValidRecords(uint basePulse, Random random)
    {
        var buffer = new byte[100 * DetectionRecordWriter.MaxRecordBytes];
        var writer = new DetectionRecordWriter(buffer, 0, basePulse);
        var wanted = Length(random, 100);
        ulong pulse = basePulse;
        for (var i = 0; i < wanted; i++)
        {
            pulse += (ulong)(i == 0 ? 0 : 1) + (ulong)(random.Next(4) switch { 0 => 0, 1 => random.Next(1 << 7), 2 => random.Next(1 << 20), _ => random.Next() });
            if (pulse > uint.MaxValue)
            {
                break;
            }
            writer.Append((uint)pulse, (byte)random.Next(1, 4));
        }
        return (buffer[..writer.Length], (uint)writer.Count);
    }

    private static object Fill(Type contractType, Random random)
    {
        var contract = Activator.CreateInstance(contractType)!;
        foreach (var property in KeyedProperties(contractType))
        {
            property.SetValue(contract, Value(property.PropertyType, random));
        }
        return contract;
    }

    /// <summary>A random portable message of the given type, filled field by field.</summary>
    public static WireMessage Portable(byte type, Random random)
    {
        var portableType = typeof(WireMessage).Assembly.GetTypes()
            .Single(t => t.IsSubclassOf(typeof(WireMessage)) && !t.IsAbstract && ((WireMessage)Activator.CreateInstance(t)!).Type == type);
        var message = (WireMessage)Activator.CreateInstance(portableType)!;
        foreach (var field in portableType.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            field.SetValue(message, PortableValue(field.FieldType, random));
        }
        if (message is DetectionBatchMessage batch)
        {
            (batch.Records, batch.RecordCount) = ValidRecords(batch.BasePulseIndex, random);
        }
        return message;
    }

    private static object PortableValue(Type type, Random random)
    {
        if (type == typeof(BenchTiming[]))
        {
            return Enumerable.Range(0, Length(random, 20))
                .Select(_ => new BenchTiming(Byte(random), Byte(random), UInt(random), UInt(random)))
                .ToArray();
        }
        return Value(type, random);
    }

    private static object Value(Type type, Random random)
    {
        if (type == typeof(byte)) return Byte(random);
        if (type == typeof(ushort)) return (ushort)Pick(random, v => v is >= 0 and <= ushort.MaxValue);
        if (type == typeof(uint)) return UInt(random);
        if (type == typeof(int)) return (int)Pick(random, _ => true);
        if (type == typeof(string)) return RandomString(random);
        if (type == typeof(byte[]))
        {
            var data = new byte[Length(random, 600)];
            random.NextBytes(data);
            return data;
        }
        if (type == typeof(ushort[]))
        {
            return Enumerable.Range(0, Length(random, 20)).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
        }
        if (type == typeof(BenchTimingContract[]))
        {
            return Enumerable.Range(0, Length(random, 20)).Select(_ => (BenchTimingContract)Fill(typeof(BenchTimingContract), random)).ToArray();
        }
        throw new NotSupportedException("no random values for " + type);
    }

    private static byte Byte(Random random) => (byte)Pick(random, v => v is >= 0 and <= 255);

    private static uint UInt(Random random) =>
        random.Next(4) == 0 ? uint.MaxValue - (uint)random.Next(3) : (uint)Pick(random, v => v >= 0);

    private static long Pick(Random random, Func<long, bool> allowed)
    {
        if (random.Next(2) == 0)
        {
            var edges = IntEdges.Where(allowed).ToArray();
            return edges[random.Next(edges.Length)];
        }
        while (true)
        {
            long candidate = random.Next(4) switch
            {
                0 => random.Next(-40, 300),
                1 => random.Next(-70_000, 70_000),
                _ => random.NextInt64(int.MinValue, (long)uint.MaxValue + 1),
            };
            if (allowed(candidate) && candidate >= int.MinValue && candidate <= uint.MaxValue)
            {
                return candidate;
            }
        }
    }

    private static int Length(Random random, int max) =>
        random.Next(2) == 0 ? LengthEdges.Where(l => l <= max).ElementAt(random.Next(LengthEdges.Count(l => l <= max))) : random.Next(max + 1);

    private static string RandomString(Random random)
    {
        const string alphabet = "abcXYZ019 -_.äöüµ€\u03c0\u4e2d";
        var length = Length(random, 300);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
