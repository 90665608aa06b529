#nullable disable
using nanoFramework.Hardware.Esp32;

namespace Qkd.Firmware.Boards
{
    /// <summary>
    /// ESP32 with PSRAM (nanoff target ESP32_PSRAM_REV0, WROVER modules). COM1 is the nanoFramework
    /// debug/deploy port, so the host link uses UART2, routed to GPIO13 (RX) and GPIO14 (TX): GPIO16/17,
    /// UART2's usual pins, drive the PSRAM on WROVER modules, and boards/*-esp32.json use neither 13 nor 14.
    /// Compiled in when BoardTarget=ESP32_PSRAM_REV0 (see Qkd.Firmware.nfproj).
    /// </summary>
    internal static class BoardTarget
    {
        public const string Name = "ESP32_PSRAM_REV0";

        public const string HostPortName = "COM2";
        public const int HostBaudRate = 921600;
        public const int HostRxPin = 13;
        public const int HostTxPin = 14;

        /// <summary>ESP32 routes peripherals through its GPIO matrix: assign the UART pins before opening the port.</summary>
        public static void ConfigurePinFunctions()
        {
            Configuration.SetPinFunction(HostRxPin, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(HostTxPin, DeviceFunction.COM2_TX);
        }
    }
}
