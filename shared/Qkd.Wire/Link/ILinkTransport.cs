#nullable disable
namespace Qkd.Wire.Link
{
    /// <summary>Where a link writes its encoded frames: a serial port, a USB-CDC stream, a TCP socket, a test channel.</summary>
    public interface ILinkTransport
    {
        /// <summary>Writes one complete frame (delimiter included). The buffer is reused once this returns.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
