using System.Reflection;
using System.Text.Json;
using MessagePack;

namespace Qkd.Wire.Contracts;

/// <summary>
/// Writes a message's fields as a JSON object: camelCase names in wire order, integers as numbers,
/// bin fields as lowercase hex. Fields marked <see cref="RawKeyMaterialAttribute"/> are replaced by
/// "redacted:N bytes" unless revealRawKeyMaterial is set; DetectionBatch records are then also
/// decoded into a "detections" list.
/// </summary>
public static class WireJson
{
    private static readonly Dictionary<Type, PropertyInfo[]> KeyedProperties = new();

    public static void WriteFields(Utf8JsonWriter json, object message, bool revealRawKeyMaterial)
    {
        json.WriteStartObject();
        foreach (var property in Keyed(message.GetType()))
        {
            json.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            var value = property.GetValue(message);
            if (value is byte[] secret && !revealRawKeyMaterial && property.IsDefined(typeof(RawKeyMaterialAttribute)))
            {
                json.WriteStringValue($"redacted:{secret.Length} bytes");
                continue;
            }
            WriteValue(json, value, revealRawKeyMaterial);
        }
        if (revealRawKeyMaterial && message is DetectionBatchContract batch)
        {
            WriteDetections(json, batch);
        }
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value, bool revealRawKeyMaterial)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case byte v: json.WriteNumberValue(v); break;
            case ushort v: json.WriteNumberValue(v); break;
            case uint v: json.WriteNumberValue(v); break;
            case int v: json.WriteNumberValue(v); break;
            case string v: json.WriteStringValue(v); break;
            case byte[] v: json.WriteStringValue(Convert.ToHexStringLower(v)); break;
            case ushort[] v:
                json.WriteStartArray();
                foreach (var item in v)
                {
                    json.WriteNumberValue(item);
                }
                json.WriteEndArray();
                break;
            case Array v:
                json.WriteStartArray();
                foreach (var item in v)
                {
                    if (item is null)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        WriteFields(json, item, revealRawKeyMaterial);
                    }
                }
                json.WriteEndArray();
                break;
            default: throw new NotSupportedException("no JSON form for " + value.GetType().Name);
        }
    }

    /// <summary>Decoded records; throws WireFormatException when they are malformed.</summary>
    private static void WriteDetections(Utf8JsonWriter json, DetectionBatchContract batch)
    {
        var records = batch.Records ?? []; // nil on the wire: no records
        var reader = new DetectionRecordReader(records, 0, records.Length, batch.BasePulseIndex);
        json.WritePropertyName("detections");
        json.WriteStartArray();
        while (reader.MoveNext())
        {
            json.WriteStartObject();
            json.WriteNumber("pulse", reader.PulseIndex);
            json.WriteNumber("detector", reader.Detector);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static PropertyInfo[] Keyed(Type type)
    {
        lock (KeyedProperties)
        {
            if (!KeyedProperties.TryGetValue(type, out var properties))
            {
                properties = type.GetProperties()
                    .Where(p => p.GetCustomAttribute<KeyAttribute>() is not null)
                    .OrderBy(p => p.GetCustomAttribute<KeyAttribute>()!.IntKey)
                    .ToArray();
                KeyedProperties.Add(type, properties);
            }
            return properties;
        }
    }
}
