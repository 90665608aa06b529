// Declared reference surface: nanoFramework.Hardware.Esp32 1.6.x, the GPIO-matrix routing the ESP32
// board file uses. ESP32 targets only. NOT compiled into the test assembly.
#pragma warning disable
namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        SPI1_MOSI = 0x10000, SPI1_MISO, SPI1_CLOCK,
        SPI2_MOSI = 0x10100, SPI2_MISO, SPI2_CLOCK,
        I2C1_DATA = 0x20000, I2C1_CLOCK,
        COM1_RX = 0x40000, COM1_TX, COM1_RTS, COM1_CTS,
        COM2_RX = 0x40100, COM2_TX, COM2_RTS, COM2_CTS,
        COM3_RX = 0x40200, COM3_TX, COM3_RTS, COM3_CTS,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction function) { }
        public static int GetFunctionPin(DeviceFunction function) => throw null;
    }
}
