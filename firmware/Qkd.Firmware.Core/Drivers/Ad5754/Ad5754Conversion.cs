using System;

namespace Qkd.Firmware.Drivers
{
    /// <summary>
    /// Volts to DAC code and back. VOUT = VREF * gain * D / 65536 (unipolar), minus VREF * gain / 2
    /// (bipolar), D being the offset-binary code; two's complement is offset binary with the MSB flipped.
    /// </summary>
    public static class Ad5754Conversion
    {
        public const int CodeCount = 65536;
        public const int MaxCode = 65535;
        public const double InternalReferenceVolts = 2.5;

        /// <summary>Output amplifier gain of a range (x2, x4, x4.32 unipolar; x4, x8, x8.64 bipolar).</summary>
        public static double Gain(Ad5754OutputRange range)
        {
            switch (range)
            {
                case Ad5754OutputRange.Unipolar5V: return 2.0;
                case Ad5754OutputRange.Unipolar10V: return 4.0;
                case Ad5754OutputRange.Unipolar10V8: return 4.32;
                case Ad5754OutputRange.Bipolar5V: return 4.0;
                case Ad5754OutputRange.Bipolar10V: return 8.0;
                case Ad5754OutputRange.Bipolar10V8: return 8.64;
                default: throw new ArgumentOutOfRangeException("range", "unknown AD5754 output range code " + ((int)range).ToString());
            }
        }

        public static bool IsBipolar(Ad5754OutputRange range)
        {
            return range == Ad5754OutputRange.Bipolar5V || range == Ad5754OutputRange.Bipolar10V || range == Ad5754OutputRange.Bipolar10V8;
        }

        /// <summary>Lowest nominal output of the range (0 V or minus half the span).</summary>
        public static double MinVolts(Ad5754OutputRange range, double referenceVolts)
        {
            return IsBipolar(range) ? -Span(range, referenceVolts) / 2.0 : 0.0;
        }

        /// <summary>Highest nominal output of the range (the code 65535 gives one LSB less).</summary>
        public static double MaxVolts(Ad5754OutputRange range, double referenceVolts)
        {
            return MinVolts(range, referenceVolts) + Span(range, referenceVolts);
        }

        public static double LsbVolts(Ad5754OutputRange range, double referenceVolts)
        {
            return Span(range, referenceVolts) / CodeCount;
        }

        /// <summary>
        /// Code for <paramref name="volts"/>, rounded to the nearest LSB and clamped to 0..65535 (the top
        /// rail is one LSB below the nominal maximum). Volts outside the nominal range are refused.
        /// </summary>
        public static int VoltsToCode(double volts, Ad5754OutputRange range, Ad5754BipolarCoding coding, double referenceVolts)
        {
            double min = MinVolts(range, referenceVolts);
            double max = MaxVolts(range, referenceVolts);
            if (double.IsNaN(volts) || volts < min || volts > max)
            {
                throw new ArgumentOutOfRangeException("volts", "AD5754: " + volts.ToString() + " V is outside the output range "
                    + RangeName(range) + " (" + min.ToString() + " V .. " + max.ToString() + " V)");
            }

            double steps = (volts - min) / LsbVolts(range, referenceVolts);
            int offsetCode = (int)Math.Floor(steps + 0.5);
            if (offsetCode < 0) offsetCode = 0;
            if (offsetCode > MaxCode) offsetCode = MaxCode;
            return ToRegisterCode(offsetCode, range, coding);
        }

        /// <summary>Output volts that a register code gives in a range and coding.</summary>
        public static double CodeToVolts(int code, Ad5754OutputRange range, Ad5754BipolarCoding coding, double referenceVolts)
        {
            if (code < 0 || code > MaxCode) throw new ArgumentOutOfRangeException("code", "AD5754 codes are 0..65535");
            int offsetCode = ToRegisterCode(code, range, coding);
            return MinVolts(range, referenceVolts) + offsetCode * LsbVolts(range, referenceVolts);
        }

        /// <summary>Human name of a range for messages (enum ToString is not portable).</summary>
        public static string RangeName(Ad5754OutputRange range)
        {
            switch (range)
            {
                case Ad5754OutputRange.Unipolar5V: return "+5 V";
                case Ad5754OutputRange.Unipolar10V: return "+10 V";
                case Ad5754OutputRange.Unipolar10V8: return "+10.8 V";
                case Ad5754OutputRange.Bipolar5V: return "+-5 V";
                case Ad5754OutputRange.Bipolar10V: return "+-10 V";
                case Ad5754OutputRange.Bipolar10V8: return "+-10.8 V";
                default: return "code " + ((int)range).ToString();
            }
        }

        private static double Span(Ad5754OutputRange range, double referenceVolts)
        {
            return referenceVolts * Gain(range);
        }

        // Offset binary <-> two's complement is a flip of the MSB, its own inverse.
        private static int ToRegisterCode(int code, Ad5754OutputRange range, Ad5754BipolarCoding coding)
        {
            return IsBipolar(range) && coding == Ad5754BipolarCoding.TwosComplement ? code ^ 0x8000 : code;
        }
    }
}
