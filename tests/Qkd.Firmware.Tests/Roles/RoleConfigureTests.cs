using Qkd.Firmware.Roles;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Roles;

/// <summary>Configure: DAC power-up with read-back verification, MUX / trigger / APD pins to the engine, refusals.</summary>
public class RoleConfigureTests
{
    [Theory]
    [InlineData(BoardRole.Alice)]
    [InlineData(BoardRole.Bob)]
    public void Configure_powers_the_dac_up_and_leaves_every_channel_code_in_its_register(byte role)
    {
        using var rig = new RoleRig(role).Configured();
        var codes = role == BoardRole.Alice ? Boards.AliceCodes : Boards.BobCodes;

        Assert.True(rig.Role.IsConfigured);
        for (var channel = 0; channel < codes.Length; channel++)
        {
            Assert.Equal(codes[channel], rig.Hardware.Dac.DacRegister(channel));
            Assert.Equal(3, rig.Hardware.Dac.RangeCode(channel));
        }

        var channelMask = (1 << codes.Length) - 1;
        Assert.Equal(0x10 | channelMask, rig.Hardware.Dac.PowerControlRegister & 0x1F); // reference + the role's channels only
        Assert.Equal(System.Device.Spi.SpiMode.Mode2, rig.Hardware.LastSpiSettings!.Mode);
        Assert.Equal(5, rig.Hardware.LastSpiSettings.ChipSelectLine);
    }

    [Fact]
    public void Alice_drives_both_mux_address_lines_and_no_detector_pins()
    {
        using var rig = new RoleRig(BoardRole.Alice).Configured();
        var pins = rig.Hardware.LastSettings!.Pins;

        Assert.Equal((Boards.MuxEn, Boards.MuxA0, Boards.MuxA1, Boards.Trigger), (pins.MuxEnable, pins.MuxA0, pins.MuxA1, pins.Trigger));
        Assert.Equal((-1, -1, -1, -1), (pins.Gate, pins.Latch0, pins.Latch1, pins.LatchClear));
        Assert.False(rig.Hardware.ModelEngine.IsBob);
    }

    [Fact]
    public void Bob_gets_one_address_line_the_gate_both_latches_and_the_boards_latch_clear()
    {
        using var rig = new RoleRig(BoardRole.Bob).Configured();
        var settings = rig.Hardware.LastSettings!;

        Assert.Equal(-1, settings.Pins.MuxA1);
        Assert.Equal((Boards.Gate, Boards.Latch0, Boards.Latch1, Boards.LatchClearPin),
            (settings.Pins.Gate, settings.Pins.Latch0, settings.Pins.Latch1, settings.Pins.LatchClear));
        Assert.Equal((120, 40), (settings.GateDelayNs, settings.GateWidthNs));
    }

    [Fact]
    public void A_read_back_mismatch_refuses_the_configuration_and_names_the_register()
    {
        using var rig = new RoleRig(BoardRole.Alice);
        rig.Hardware.Dac.InjectReadBackFault(register: 0, address: 2, xorMask: 0x0100);

        var refused = Assert.Throws<RoleException>(() => rig.Role.Configure(Boards.Configure(BoardRole.Alice)));

        Assert.Equal(ErrorCode.DacReadbackMismatch, refused.Code);
        Assert.Contains("channel C", refused.Message);
        Assert.False(rig.Role.IsConfigured);
        Assert.Throws<RoleException>(() => rig.Role.StoreChunk(new BasisChunkMessage(1, 0, [0])));
    }

    [Fact]
    public void Configure_can_be_applied_again_on_the_same_pins()
    {
        using var rig = new RoleRig(BoardRole.Bob).Configured();
        var changed = Boards.Configure(BoardRole.Bob);
        changed.ChannelCodes = [0x0100, 0x0200];

        rig.Role.Configure(changed);

        Assert.Equal(1, rig.Hardware.EnginesClosed);
        Assert.Equal(0x0200, rig.Hardware.Dac.DacRegister(1));
    }

    [Theory]
    [InlineData(BoardRole.Alice)]
    [InlineData(BoardRole.Bob)]
    public void The_managed_engine_can_be_configured_again_on_the_same_pins(byte role)
    {
        using var rig = new RoleRig(role, managedEngine: true).Configured();

        rig.Role.Configure(Boards.Configure(role)); // the first engine's pins must have been closed

        Assert.IsType<Qkd.Firmware.Engine.ManagedPulseEngine>(rig.Role.Engine);
        Assert.Equal(1, rig.Hardware.EnginesClosed);
        Assert.True(rig.Hardware.Gpio.IsPinOpen(Boards.Trigger));
    }

    public static TheoryData<string, Action<ConfigureMessage>> BadConfigurations => new()
    {
        { "role", m => m.Role = BoardRole.Bob },
        { "dacRangeCode", m => m.DacRangeCode = 7 },
        { "dacCoding", m => m.DacCoding = 9 },
        { "channelCodes", m => m.ChannelCodes = [1, 2] },
        { "spiClockHz", m => m.SpiClockHz = 50_000_000 },
        { "muxA1Pin", m => m.MuxA1Pin = -1 },
        { "triggerEdge", m => m.TriggerEdge = 0 },
        { "GPIO 26", m => m.TriggerInPin = Boards.MuxA0 },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void A_wrong_configuration_is_refused_naming_the_field_before_touching_the_hardware(string field, Action<ConfigureMessage> spoil)
    {
        using var rig = new RoleRig(BoardRole.Alice);
        var configure = Boards.Configure(BoardRole.Alice);
        spoil(configure);

        var refused = Assert.Throws<RoleException>(() => rig.Role.Configure(configure));

        Assert.Equal(ErrorCode.BadPayload, refused.Code);
        Assert.Contains(field, refused.Message);
        Assert.Equal(0, rig.Hardware.Dac.AcceptedFrames);
        Assert.Null(rig.Hardware.Engine);
    }
}
