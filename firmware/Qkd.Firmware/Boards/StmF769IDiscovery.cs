#nullable disable

namespace Qkd.Firmware.Boards
{
    /// <summary>
    /// STM32F769I-DISCO (nanoff target ST_STM32F769I_DISCOVERY). The host link uses USART6 on the
    /// Arduino header (D1 = PC6 TX, D0 = PC7 RX), which the nanoFramework image exposes as COM6; pin
    /// functions are fixed by the firmware image (PC6/PC7 = nanoFramework pins 38/39, unused by
    /// boards/*-stm32f769i-disco.json). Compiled in when BoardTarget=ST_STM32F769I_DISCOVERY.
    /// </summary>
    internal static class BoardTarget
    {
        public const string Name = "ST_STM32F769I_DISCOVERY";

        public const string HostPortName = "COM6";
        public const int HostBaudRate = 921600;

        /// <summary>Nothing to route on STM32: the image assigns USART6 to PC6/PC7.</summary>
        public static void ConfigurePinFunctions()
        {
        }
    }
}
