#nullable disable
namespace Qkd.Wire
{
    /// <summary>Periodic liveness and alerts.</summary>
    public sealed class HeartbeatMessage : WireMessage
    {
        public const int FieldCount = 2;

        /// <summary>Milliseconds since the board started (wraps).</summary>
        public uint UptimeMs;

        /// <summary>AD5754 power-control alert bits (bit 5 thermal, bits 7..10 overcurrent A..D).</summary>
        public uint Alerts;

        public HeartbeatMessage()
        {
        }

        public HeartbeatMessage(uint uptimeMs, uint alerts)
        {
            UptimeMs = uptimeMs;
            Alerts = alerts;
        }

        public override byte Type
        {
            get { return MessageType.Heartbeat; }
        }

        public override void Write(MsgPackWriter writer)
        {
            writer.WriteArrayHeader(FieldCount);
            writer.WriteUInt(UptimeMs);
            writer.WriteUInt(Alerts);
        }

        public static HeartbeatMessage Read(MsgPackReader reader)
        {
            HeartbeatMessage message = new HeartbeatMessage();
            message.ReadFields(reader);
            return message;
        }

        /// <summary>Overwrites this instance from the reader: lets firmware reuse one object per type.</summary>
        public void ReadFields(MsgPackReader reader)
        {
            int extraFields = ReadFieldCount(reader, FieldCount);
            UptimeMs = reader.ReadUInt32();
            Alerts = reader.ReadUInt32();
            SkipFields(reader, extraFields);
        }
    }
}
