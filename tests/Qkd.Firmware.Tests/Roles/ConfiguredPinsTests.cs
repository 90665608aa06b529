using Qkd.Firmware.Roles;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;
using DetectorCode = Qkd.Wire.DetectorCode;

namespace Qkd.Firmware.Tests.Roles;

/// <summary>
/// Every pin a role drives comes from Configure (the APD latch clear included) and the role shows the
/// pins it was configured with, so no firmware image has to repeat the board file.
/// </summary>
public class ConfiguredPinsTests
{
    private const int OtherLatchClear = 13; // not the board file's 33: proves the pin comes from this Configure

    [Fact]
    public void Bob_clears_the_apd_latches_through_the_latch_clear_pin_its_configure_names()
    {
        const int pulses = 400;
        using var rig = new RoleRig(BoardRole.Bob, managedEngine: true);
        var driver = rig.Hardware.Driver;
        var clicks = new byte[pulses];
        for (var p = 0; p < pulses; p += 3) clicks[p] = (byte)(p % 2 == 0 ? DetectorCode.Apd0 : DetectorCode.Apd1);
        var pulse = -1;
        driver.AddListener(Boards.Trigger, (_, high, _) => { if (high) pulse++; });
        driver.AddListener(Boards.Gate, (_, high, _) =>
        {
            if (!high) return;
            if ((clicks[pulse] & DetectorCode.Apd0) != 0) driver.DriveInput(Boards.Latch0, true);
            if ((clicks[pulse] & DetectorCode.Apd1) != 0) driver.DriveInput(Boards.Latch1, true);
        });
        // The APD latch model: only a pulse on the wire the board really has clears it.
        driver.AddListener(OtherLatchClear, (_, high, _) =>
        {
            if (!high) return;
            driver.DriveInput(Boards.Latch0, false);
            driver.DriveInput(Boards.Latch1, false);
        });
        var configure = Boards.Configure(BoardRole.Bob);
        configure.LatchClearPin = OtherLatchClear;
        rig.Role.Configure(configure);
        var table = Boards.RandomTable(pulses, 1, seed: 5);
        rig.Load(4, table);
        rig.Role.Arm(4, pulses);
        rig.Role.Start(4);

        for (var k = 0; k < pulses; k++)
        {
            driver.DriveInput(Boards.Trigger, true);
            driver.DriveInput(Boards.Trigger, false);
        }

        Assert.True(rig.Role.Poll());
        var block = rig.Role.Finishing!;
        var expected = Enumerable.Range(0, pulses).Where(p => clicks[p] != 0).Select(p => (p, clicks[p])).ToList();
        var captured = Enumerable.Range(0, block.Detections).Select(i => (block.Block.DetectionPulses[i], block.Block.DetectionCodes[i])).ToList();
        Assert.Equal(expected, captured); // a latch left set would show up as a click on the next pulse
        Assert.Equal(2 * expected.Count + 2, driver.EdgeCount(OtherLatchClear)); // a high-low pulse at Start and after each detection
        Assert.Equal(0, driver.EdgeCount(Boards.LatchClearPin));
        Assert.False(driver.IsOpen(Boards.LatchClearPin));
    }

    [Fact]
    public void Bob_without_a_latch_clear_pin_is_refused_naming_the_field()
    {
        using var rig = new RoleRig(BoardRole.Bob);
        var configure = Boards.Configure(BoardRole.Bob);
        configure.LatchClearPin = -1;

        var refused = Assert.Throws<RoleException>(() => rig.Role.Configure(configure));

        Assert.Equal(ErrorCode.BadPayload, refused.Code);
        Assert.Contains("latchClearPin", refused.Message);
        Assert.False(rig.Role.IsConfigured);
    }

    [Theory]
    [InlineData(Boards.LatchClearPin)]
    [InlineData(Boards.ScopeSync)]
    public void A_latch_clear_or_scope_sync_pin_shared_with_another_signal_is_refused(int reused)
    {
        using var rig = new RoleRig(BoardRole.Bob);
        var configure = Boards.Configure(BoardRole.Bob);
        configure.MuxEnPin = reused;

        var refused = Assert.Throws<RoleException>(() => rig.Role.Configure(configure));

        Assert.Contains("GPIO " + reused + " is given to two signals", refused.Message);
    }

    [Fact]
    public void A_role_shows_the_pins_of_its_last_configure_and_none_when_unconfigured()
    {
        using var rig = new RoleRig(BoardRole.Bob);
        var pins = rig.Role.Pins;
        Assert.Equal([-1, -1, -1, -1, -1, -1, -1, -1, -1], All(pins));

        var configure = Boards.Configure(BoardRole.Bob);
        configure.LatchClearPin = OtherLatchClear;
        configure.ScopeSyncPin = 2;
        rig.Role.Configure(configure);

        Assert.Equal([Boards.MuxEn, Boards.MuxA0, -1, Boards.Trigger, Boards.Gate, Boards.Latch0, Boards.Latch1, OtherLatchClear, 2], All(pins));

        var refusedBeforeTouchingHardware = Boards.Configure(BoardRole.Bob);
        refusedBeforeTouchingHardware.LatchClearPin = -1;
        Assert.Throws<RoleException>(() => rig.Role.Configure(refusedBeforeTouchingHardware));
        Assert.True(rig.Role.IsConfigured); // the previous configuration still runs the hardware
        Assert.Equal(OtherLatchClear, pins.LatchClear);

        rig.Hardware.Dac.InjectReadBackFault(register: 0, address: 1, xorMask: 0x0100);
        Assert.Throws<RoleException>(() => rig.Role.Configure(Boards.Configure(BoardRole.Bob)));
        Assert.False(rig.Role.IsConfigured);
        Assert.Equal([-1, -1, -1, -1, -1, -1, -1, -1, -1], All(pins));
    }

    [Fact]
    public void Alice_shows_both_address_lines_and_no_detector_pins_even_if_configure_names_some()
    {
        using var rig = new RoleRig(BoardRole.Alice);
        var configure = Boards.Configure(BoardRole.Alice);
        configure.LatchClearPin = OtherLatchClear;
        rig.Role.Configure(configure);

        Assert.Equal([Boards.MuxEn, Boards.MuxA0, Boards.MuxA1, Boards.Trigger, -1, -1, -1, -1, Boards.ScopeSync], All(rig.Role.Pins));
        Assert.Equal(-1, rig.Hardware.LastSettings!.Pins.LatchClear);
    }

    private static int[] All(ConfiguredPins pins) =>
        [pins.MuxEnable, pins.MuxA0, pins.MuxA1, pins.TriggerIn, pins.ApdGateOut, pins.Apd0Latch, pins.Apd1Latch, pins.LatchClear, pins.ScopeSync];
}
