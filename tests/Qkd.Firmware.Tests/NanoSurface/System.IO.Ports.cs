// Declared reference surface: nanoFramework.System.IO.Ports 1.1.x (SerialPort as nanoFramework
// exposes it: port named "COMn", UTF8 only, WatchChar and SerialMode extras). NOT compiled into the
// test assembly.
#pragma warning disable
namespace System.IO.Ports
{
    public enum Parity { None = 0, Odd = 1, Even = 2, Mark = 3, Space = 4 }
    public enum StopBits { None = 0, One = 1, Two = 2, OnePointFive = 3 }
    public enum Handshake { None, XOnXOff, RequestToSend, RequestToSendXOnXOff }
    public enum SerialMode { Normal, RS485 }
    public enum SerialData { Chars = 1, Eof = 2, WatchChar = 3 }

    public class SerialDataReceivedEventArgs : EventArgs
    {
        internal SerialDataReceivedEventArgs() { }
        public SerialData EventType => throw null;
    }

    public delegate void SerialDataReceivedEventHandler(object sender, SerialDataReceivedEventArgs e);

    public sealed class SerialPort : IDisposable
    {
        public const int InfiniteTimeout = -1;
        public const string DefaultNewLine = "\r\n";
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { }
        public static string[] GetPortNames() => throw null;
        public void Open() { }
        public void Close() { }
        public bool IsOpen => throw null;
        public string PortName => throw null;
        public int BaudRate { get => throw null; set { } }
        public Parity Parity { get => throw null; set { } }
        public int DataBits { get => throw null; set { } }
        public StopBits StopBits { get => throw null; set { } }
        public Handshake Handshake { get => throw null; set { } }
        public SerialMode Mode { get => throw null; set { } }
        public char WatchChar { get => throw null; set { } }
        public string NewLine { get => throw null; set { } }
        public int ReadTimeout { get => throw null; set { } }
        public int WriteTimeout { get => throw null; set { } }
        public int ReceivedBytesThreshold { get => throw null; set { } }
        public int BytesToRead => throw null;
        public int BytesToWrite => throw null;
        public Stream BaseStream => throw null;
        public event SerialDataReceivedEventHandler DataReceived { add { } remove { } }
        public int Read(byte[] buffer, int offset, int count) => throw null;
        public int ReadByte() => throw null;
        public string ReadExisting() => throw null;
        public string ReadLine() => throw null;
        public void Write(byte[] buffer, int offset, int count) { }
        public void Write(string text) { }
        public void WriteLine(string text) { }
        public void DiscardInBuffer() { }
        public void DiscardOutBuffer() { }
        public void Dispose() { }
    }
}
