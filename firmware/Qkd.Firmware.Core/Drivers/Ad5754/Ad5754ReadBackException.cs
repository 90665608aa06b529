using System;

namespace Qkd.Firmware.Drivers
{
    /// <summary>A register read back from the AD5754 differs from what was written.</summary>
    public class Ad5754ReadBackException : Exception
    {
        public Ad5754ReadBackException(Ad5754Register register, int address, int expected, int actual)
            : base("AD5754 read-back mismatch: " + Ad5754.RegisterName(register) + " " + Ad5754.AddressName(register, address)
                + " wrote 0x" + Hex.Word(expected) + " read 0x" + Hex.Word(actual))
        {
            Register = register;
            Address = address;
            Expected = expected;
            Actual = actual;
        }

        public Ad5754Register Register { get; private set; }

        /// <summary>Address bits of the frame: the channel 0..3 (A..D) for DAC and range registers.</summary>
        public int Address { get; private set; }

        public int Expected { get; private set; }

        public int Actual { get; private set; }
    }

    /// <summary>Hex text without format specifiers (not portable).</summary>
    internal static class Hex
    {
        private const string Digits = "0123456789ABCDEF";

        public static string Word(int value)
        {
            char[] text = new char[4];
            for (int i = 0; i < 4; i++) text[i] = Digits[(value >> (12 - 4 * i)) & 0xF];
            return new string(text);
        }
    }
}
