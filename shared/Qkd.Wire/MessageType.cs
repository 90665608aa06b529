#nullable disable
namespace Qkd.Wire
{
    /// <summary>Message type numbers, fixed by issue 2. Bytes, not an enum: nanoFramework has no enum ToString.</summary>
    public static class MessageType
    {
        public const byte Hello = 0x01;
        public const byte Ack = 0x02;
        public const byte Nack = 0x03;
        public const byte Error = 0x04;
        public const byte Configure = 0x10;
        public const byte Credit = 0x11;
        public const byte BasisChunk = 0x12;
        public const byte ArmBlock = 0x13;
        public const byte Start = 0x14;
        public const byte Stop = 0x15;
        public const byte BlockStatus = 0x20;
        public const byte DetectionBatch = 0x21;
        public const byte BlockDone = 0x22;
        public const byte DacWrite = 0x23;
        public const byte DacReadback = 0x24;
        public const byte BenchRun = 0x25;
        public const byte BenchReport = 0x26;
        public const byte Heartbeat = 0x30;

        /// <summary>The message's name ("Heartbeat"), or null for a type number no message has.</summary>
        public static string Name(byte type)
        {
            switch (type)
            {
                case Hello: return "Hello";
                case Ack: return "Ack";
                case Nack: return "Nack";
                case Error: return "Error";
                case Configure: return "Configure";
                case Credit: return "Credit";
                case BasisChunk: return "BasisChunk";
                case ArmBlock: return "ArmBlock";
                case Start: return "Start";
                case Stop: return "Stop";
                case BlockStatus: return "BlockStatus";
                case DetectionBatch: return "DetectionBatch";
                case BlockDone: return "BlockDone";
                case DacWrite: return "DacWrite";
                case DacReadback: return "DacReadback";
                case BenchRun: return "BenchRun";
                case BenchReport: return "BenchReport";
                case Heartbeat: return "Heartbeat";
                default: return null;
            }
        }
    }
}
