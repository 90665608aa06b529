using System;

namespace Qkd.Firmware.Drivers
{
    /// <summary>AD5754 register select, frame bits 21..19.</summary>
    public enum Ad5754Register
    {
        DacData = 0,
        OutputRangeSelect = 1,
        PowerControl = 2,
        Control = 3,
    }

    /// <summary>Output range codes (range select register, data bits 2..0).</summary>
    public enum Ad5754OutputRange
    {
        Unipolar5V = 0,
        Unipolar10V = 1,
        Unipolar10V8 = 2,
        Bipolar5V = 3,
        Bipolar10V = 4,
        Bipolar10V8 = 5,
    }

    /// <summary>Bipolar coding, strapped on the BIN/2sCOMP pin (a board fact). Unipolar ranges are always straight binary.</summary>
    public enum Ad5754BipolarCoding
    {
        TwosComplement = 0,
        OffsetBinary = 1,
    }

    /// <summary>Control register functions, chosen by the address bits 18..16.</summary>
    public enum Ad5754ControlFunction
    {
        Nop = 0,
        Settings = 1,
        Clear = 4,
        Load = 5,
    }

    /// <summary>Alert bits read from the power control register.</summary>
    [Flags]
    public enum Ad5754Alerts
    {
        None = 0,
        ThermalShutdown = 1,
        OvercurrentA = 2,
        OvercurrentB = 4,
        OvercurrentC = 8,
        OvercurrentD = 16,
    }
}
