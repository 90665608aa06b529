#nullable disable
using System;
using System.IO.Ports;

namespace Qkd.Firmware
{
    /// <summary>Receives bytes from the host link; called on the serial event thread.</summary>
    public delegate void HostBytesReceived(byte[] buffer, int count);

    /// <summary>
    /// The board's byte stream to the host (USB-CDC or UART via System.IO.Ports): one receive buffer
    /// allocated once, bytes handed to the link session as they arrive, writes passed straight through.
    /// </summary>
    public sealed class HostSerialLink : IDisposable
    {
        private readonly SerialPort _port;
        private readonly byte[] _receiveBuffer;
        private HostBytesReceived _receiver;
        private int _unclaimedBytes;

        public HostSerialLink(string portName, int baudRate, int receiveBufferBytes)
        {
            _receiveBuffer = new byte[receiveBufferBytes];
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.ReadTimeout = 50;
            _port.WriteTimeout = 500;
            _port.DataReceived += OnDataReceived;
        }

        /// <summary>Bytes that arrived before anything listened (counted, never silently lost).</summary>
        public int UnclaimedBytes
        {
            get { return _unclaimedBytes; }
        }

        /// <summary>Where received bytes go (the link session). Until set, bytes are counted and discarded.</summary>
        public void SetReceiver(HostBytesReceived receiver)
        {
            _receiver = receiver;
        }

        public void Open()
        {
            _port.Open();
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public void Dispose()
        {
            _port.DataReceived -= OnDataReceived;
            _port.Close();
            _port.Dispose();
        }

        private void OnDataReceived(object sender, SerialDataReceivedEventArgs e)
        {
            while (_port.BytesToRead > 0)
            {
                int wanted = _port.BytesToRead < _receiveBuffer.Length ? _port.BytesToRead : _receiveBuffer.Length;
                int read = _port.Read(_receiveBuffer, 0, wanted);
                if (read <= 0)
                {
                    return;
                }

                HostBytesReceived receiver = _receiver;
                if (receiver != null)
                {
                    receiver(_receiveBuffer, read);
                }
                else
                {
                    _unclaimedBytes += read;
                }
            }
        }
    }
}
