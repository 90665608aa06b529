namespace Qkd.Firmware
{
    // Wired to the serial port and the roles by the firmware work (issue 3).
    public class Program
    {
        public static void Main()
        {
        }
    }
}
