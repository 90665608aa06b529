#nullable disable
using nanoFramework.Hardware.Esp32;

namespace Qkd.Firmware.Boards
{
    /// <summary>
    /// ESP32 with PSRAM (nanoff target ESP32_PSRAM_REV0). COM1 is the nanoFramework debug/deploy port,
    /// so the host link uses UART2 routed to GPIO16/17. Compiled in when BoardTarget=ESP32_PSRAM_REV0
    /// (see Qkd.Firmware.nfproj); keep in step with boards/esp32-*.json.
    /// </summary>
    internal static class BoardTarget
    {
        public const string Name = "ESP32_PSRAM_REV0";

        public const string HostPortName = "COM2";
        public const int HostBaudRate = 921600;
        public const int HostRxPin = 16;
        public const int HostTxPin = 17;

        /// <summary>ESP32 routes peripherals through its GPIO matrix: assign the UART pins before opening the port.</summary>
        public static void ConfigurePinFunctions()
        {
            Configuration.SetPinFunction(HostRxPin, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(HostTxPin, DeviceFunction.COM2_TX);
        }
    }
}
