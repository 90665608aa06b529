#nullable disable
using Qkd.Firmware.Drivers;
using Qkd.Wire;

namespace Qkd.Firmware.Roles
{
    /// <summary>
    /// Refuses a Configure that cannot be right for this role before any pin or register is touched,
    /// naming the field and the reason (the Error text the host shows).
    /// </summary>
    internal static class ConfigureCheck
    {
        /// <summary>Power control read-only alert bits: 5 thermal shutdown, 7..10 overcurrent A..D.</summary>
        public const int AlertBits = 0x20 | 0x780;

        private const uint MaxSpiClockHz = 30000000;
        private const int MaxRangeCode = 5;

        public static void Validate(ConfigureMessage m, byte role, int dacChannels, bool gated)
        {
            if (m.Role != role)
            {
                Fail("role " + m.Role.ToString() + " does not match this board's role " + role.ToString());
            }
            RequirePin("dacSyncPin", m.DacSyncPin);
            RequirePin("muxEnPin", m.MuxEnPin);
            RequirePin("muxA0Pin", m.MuxA0Pin);
            RequirePin("triggerInPin", m.TriggerInPin);
            if (!gated)
            {
                RequirePin("muxA1Pin", m.MuxA1Pin);
            }
            else
            {
                RequirePin("apdGateOutPin", m.ApdGateOutPin);
                RequirePin("apd0LatchPin", m.Apd0LatchPin);
                RequirePin("apd1LatchPin", m.Apd1LatchPin);
                RequirePin("latchClearPin", m.LatchClearPin);
            }
            if (m.SpiBus < 0)
            {
                Fail("spiBus " + m.SpiBus.ToString() + " is negative");
            }
            if (m.SpiClockHz == 0 || m.SpiClockHz > MaxSpiClockHz)
            {
                Fail("spiClockHz " + m.SpiClockHz.ToString() + " is outside 1..30000000 (AD5754 SCLK limit)");
            }
            if (m.DacRangeCode > MaxRangeCode)
            {
                Fail("dacRangeCode " + m.DacRangeCode.ToString() + " is not an AD5754 range (0..5)");
            }
            if (m.DacCoding != DacCoding.OffsetBinary && m.DacCoding != DacCoding.TwosComplement)
            {
                Fail("dacCoding " + m.DacCoding.ToString() + " is neither 0 (offset binary) nor 1 (two's complement)");
            }
            if (m.ChannelCodes == null || m.ChannelCodes.Length < dacChannels)
            {
                Fail("channelCodes needs " + dacChannels.ToString() + " codes for this role");
            }
            if (gated && m.GateWidthNs == 0)
            {
                Fail("gateWidthNs must be positive");
            }
            if (m.GateDelayNs > int.MaxValue || m.GateWidthNs > int.MaxValue)
            {
                Fail("gate delay or width is absurdly large");
            }
            if (m.TriggerEdge != TriggerEdge.Rising && m.TriggerEdge != TriggerEdge.Falling)
            {
                Fail("triggerEdge " + m.TriggerEdge.ToString() + " is neither 1 (rising) nor 2 (falling)");
            }
            CheckDistinctPins(m, gated);
        }

        /// <summary>The wire's DacCoding (0 offset binary, 1 two's complement) as the driver's enum: the numbers differ, so no cast.</summary>
        public static Ad5754BipolarCoding BipolarCoding(byte wireCoding)
        {
            return wireCoding == DacCoding.OffsetBinary ? Ad5754BipolarCoding.OffsetBinary : Ad5754BipolarCoding.TwosComplement;
        }

        private static void CheckDistinctPins(ConfigureMessage m, bool gated)
        {
            int[] pins = new int[]
            {
                m.DacSyncPin, m.DacLdacPin, m.DacClrPin, m.MuxEnPin, m.MuxA0Pin, gated ? -1 : m.MuxA1Pin, m.TriggerInPin,
                gated ? m.ApdGateOutPin : -1, gated ? m.Apd0LatchPin : -1, gated ? m.Apd1LatchPin : -1, gated ? m.LatchClearPin : -1, m.ScopeSyncPin,
            };
            for (int i = 0; i < pins.Length; i++)
            {
                for (int j = i + 1; j < pins.Length; j++)
                {
                    if (pins[i] >= 0 && pins[i] == pins[j])
                    {
                        Fail("GPIO " + pins[i].ToString() + " is given to two signals");
                    }
                }
            }
        }

        private static void RequirePin(string field, int pin)
        {
            if (pin < 0)
            {
                Fail(field + " must be wired on this role");
            }
        }

        private static void Fail(string reason)
        {
            throw new RoleException(ErrorCode.BadPayload, "Configure refused: " + reason);
        }
    }
}
