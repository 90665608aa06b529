// Declared reference surface: nanoFramework.System.Device.Spi 1.3.x, byte[] overloads only
// (nanoFramework's SpanByte/ushort[] overloads are not used by our portable code; .NET IoT's
// Span<byte> overloads do not exist on nanoFramework). NOT compiled into the test assembly.
#pragma warning disable
namespace System.Device.Spi
{
    public enum SpiMode { Mode0, Mode1, Mode2, Mode3 }
    public enum DataFlow { MsbFirst, LsbFirst }
    public enum SpiBusConfiguration { FullDuplex, HalfDuplex, Simplex }

    public sealed class SpiConnectionSettings
    {
        public SpiConnectionSettings(int busId, int chipSelectLine = -1) { }
        public SpiConnectionSettings(SpiConnectionSettings other) { }
        public int BusId { get => throw null; set { } }
        public int ChipSelectLine { get => throw null; set { } }
        public SpiMode Mode { get => throw null; set { } }
        public int DataBitLength { get => throw null; set { } }
        public int ClockFrequency { get => throw null; set { } }
        public DataFlow DataFlow { get => throw null; set { } }
        public bool ChipSelectLineActiveState { get => throw null; set { } }
        public SpiBusConfiguration Configuration { get => throw null; set { } }
    }

    public class SpiDevice : IDisposable
    {
        public SpiDevice(SpiConnectionSettings settings) { }
        public static SpiDevice Create(SpiConnectionSettings settings) => throw null;
        public SpiConnectionSettings ConnectionSettings => throw null;
        public byte ReadByte() => throw null;
        public void Read(byte[] buffer) { }
        public void WriteByte(byte value) { }
        public void Write(byte[] buffer) { }
        public void TransferFullDuplex(byte[] writeBuffer, byte[] readBuffer) { }
        public void Dispose() { }
    }
}
