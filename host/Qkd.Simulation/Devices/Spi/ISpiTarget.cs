using System.Device.Spi;

namespace Qkd.Simulation.Devices.Spi;

/// <summary>
/// The device side of an SPI bus: a chip-select (SYNC) frame is FrameStart, one Exchange per byte
/// (MSB first, returns the byte the device shifts out on MISO/SDO meanwhile), FrameEnd on CS rising.
/// </summary>
public interface ISpiTarget
{
    void FrameStart(SpiConnectionSettings settings);

    byte Exchange(byte mosi);

    void FrameEnd();
}
