using Qkd.Wire.Contracts;

namespace Qkd.Wire.Tests;

/// <summary>
/// Configure's last field is the APD latch-clear pin (appended after PulseEngine; no other field moved),
/// next to the scope-sync pin it already carried: both sides write the same bytes, and a Configure from
/// a host that predates the field still decodes, with the pin not wired.
/// </summary>
public class ConfigureLatchClearTests
{
    private static ConfigureContract BobOfTheBoardFile() => new()
    {
        Role = BoardRole.Bob, DacSyncPin = 5, DacSclkPin = 18, DacSdinPin = 23, DacSdoPin = 19, DacLdacPin = 21, DacClrPin = 22,
        MuxEnPin = 25, MuxA0Pin = 26, MuxA1Pin = -1, TriggerInPin = 34, ApdGateOutPin = 32, Apd0LatchPin = 35, Apd1LatchPin = 36,
        ScopeSyncPin = 4, SpiBus = 1, SpiClockHz = 10_000_000, DacRangeCode = 3, DacCoding = DacCoding.TwosComplement,
        ChannelCodes = [0, 0x1800], GateDelayNs = 120, GateWidthNs = 40, TriggerEdge = TriggerEdge.Rising,
        PulseEngine = PulseEngineKind.Managed, LatchClearPin = 33,
    };

    [Fact]
    public void Latch_clear_and_scope_sync_round_trip_host_to_portable_and_back_byte_identical()
    {
        var contract = BobOfTheBoardFile();
        var bytes = WireSerializer.Serialize(contract);

        var portable = Assert.IsType<ConfigureMessage>(MessageCodec.Decode(MessageType.Configure, bytes, 0, bytes.Length));

        Assert.Equal((33, 4), (portable.LatchClearPin, portable.ScopeSyncPin));
        Assert.Equal(bytes, MessageInteropTests.PortableBytes(portable));
        var back = Assert.IsType<ConfigureContract>(WireSerializer.Deserialize(MessageType.Configure, bytes));
        Assert.Equal((33, 4), (back.LatchClearPin, back.ScopeSyncPin));
    }

    [Fact]
    public void Latch_clear_is_field_24_the_last_of_25_and_the_fields_before_it_are_unchanged()
    {
        var with = WireSerializer.Serialize(BobOfTheBoardFile());

        Assert.Equal(new byte[] { 0xDC, 0x00, 25 }, with[..3]);  // array16 header: 25 fields
        Assert.Equal(33, with[^1]);                               // positive fixint 33, written last
        var without = Truncated(with);
        Assert.Equal(0xDC, without[0]);
        Assert.Equal(with[3..^1], without[3..]);                  // every earlier field is byte-for-byte as before
    }

    [Fact]
    public void A_configure_without_the_field_decodes_on_both_sides_with_the_pin_not_wired()
    {
        var old = Truncated(WireSerializer.Serialize(BobOfTheBoardFile()));

        var portable = Assert.IsType<ConfigureMessage>(MessageCodec.Decode(MessageType.Configure, old, 0, old.Length));
        var contract = Assert.IsType<ConfigureContract>(WireSerializer.Deserialize(MessageType.Configure, old));

        Assert.Equal((-1, -1), (portable.LatchClearPin, contract.LatchClearPin));
        Assert.Equal((4, 4), (portable.ScopeSyncPin, contract.ScopeSyncPin));
    }

    [Fact]
    public void A_configure_with_23_fields_is_still_refused()
    {
        var old = Truncated(WireSerializer.Serialize(BobOfTheBoardFile()));
        var tooShort = new byte[old.Length - 1];
        old.AsSpan(0, old.Length - 1).CopyTo(tooShort);
        tooShort[2] = 23; // drop PulseEngine as well

        Assert.Throws<WireFormatException>(() => MessageCodec.Decode(MessageType.Configure, tooShort, 0, tooShort.Length));
    }

    /// <summary>The same payload as a 24-field Configure (before the latch-clear pin was appended): header says 24, last byte gone.</summary>
    private static byte[] Truncated(byte[] payload)
    {
        Assert.True(payload[^1] < 0x80, "the test expects the latch-clear pin as one positive fixint byte");
        var old = payload[..^1];
        old[2] = 24;
        return old;
    }
}
