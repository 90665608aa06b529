using Qkd.Firmware.Drivers;

namespace Qkd.Firmware.Tests.Drivers;

public class Ad5754Tests
{
    [Theory]
    [InlineData(0, 0x1234, 0x001234)]
    [InlineData(1, 0xFFFF, 0x01FFFF)]
    [InlineData(3, 0x0001, 0x030001)]
    [InlineData(Ad5754.AllChannels, 0x8000, 0x048000)]
    public void Dac_data_write_is_one_datasheet_frame(int channel, int code, int frame)
    {
        using var rig = new DacRig();
        rig.Dac.VerifyWrites = false;
        rig.Dac.WriteCode(channel, code);
        Assert.Equal([frame], rig.Frames);
    }

    [Fact]
    public void Each_command_sends_the_datasheet_frame()
    {
        using var rig = new DacRig();
        rig.Dac.VerifyWrites = false;

        rig.Dac.SetOutputRange(2, Ad5754OutputRange.Bipolar10V);   // reg 001, addr 010, data 100
        rig.Dac.SetPowerControl(true, 0xF);                        // reg 010, PU_REF + A..D
        rig.Dac.SetControl(true, true, false);                     // reg 011, addr 001, TSD + clamp
        rig.Dac.Clear();                                           // reg 011, addr 100
        rig.Dac.Load();                                            // reg 011, addr 101
        rig.Dac.ReadRegister(Ad5754Register.PowerControl, 0);      // read reg 010, then NOP

        Assert.Equal([0x0A0004, 0x10001F, 0x19000C, 0x1C0000, 0x1D0000, 0x900000, 0x180000], rig.Frames);
    }

    [Fact]
    public void Every_register_write_is_read_back()
    {
        using var rig = new DacRig();
        rig.Dac.SetOutputRange(1, Ad5754OutputRange.Unipolar10V);
        Assert.Equal([0x090001, 0x890000, 0x180000], rig.Frames);
    }

    [Fact]
    public void Write_to_all_channels_reads_back_each_channel()
    {
        using var rig = new DacRig();
        rig.Dac.WriteCode(Ad5754.AllChannels, 0x4000);
        Assert.Equal([0x044000, 0x800000, 0x180000, 0x810000, 0x180000, 0x820000, 0x180000, 0x830000, 0x180000], rig.Frames);
    }

    [Fact]
    public void Power_up_follows_the_vendor_order_and_reaches_the_voltages()
    {
        using var rig = new DacRig();
        double[] volts = [9.0, 0.0, 4.5, -4.5];

        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, volts);

        int[] expected =
        [
            0x1C0000,                                         // CLEAR
            0x100010,                                         // reference on
            0x080004, 0x090004, 0x0A0004, 0x0B0004,           // ranges +-10 V
            0x100011, 0x100013, 0x100017, 0x10001F,           // channels A, B, C, D one by one
            0x007333, 0x010000, 0x02399A, 0x03C666, // codes (two's complement)
        ];
        Assert.Equal(expected, rig.WriteFrames);
        rig.Clock.Advance(50_000);
        for (var channel = 0; channel < 4; channel++)
            Assert.Equal(volts[channel], rig.Model.OutputVolts(channel), 3);
    }

    [Fact]
    public void Read_back_mismatch_names_register_and_channel()
    {
        using var rig = new DacRig();
        rig.Model.InjectReadBackFault(register: 1, address: 2, xorMask: 0x1);

        rig.Dac.SetOutputRange(1, Ad5754OutputRange.Bipolar5V); // other channels are fine
        var error = Assert.Throws<Ad5754ReadBackException>(() => rig.Dac.SetOutputRange(2, Ad5754OutputRange.Bipolar5V));

        Assert.Equal(Ad5754Register.OutputRangeSelect, error.Register);
        Assert.Equal(2, error.Address);
        Assert.Equal(3, error.Expected);
        Assert.Equal(2, error.Actual);
        Assert.Contains("output range select register channel C", error.Message);
    }

    [Fact]
    public void Dac_code_mismatch_during_power_up_stops_it()
    {
        using var rig = new DacRig();
        rig.Model.InjectReadBackFault(register: 0, address: 3, xorMask: 0x0100);
        var error = Assert.Throws<Ad5754ReadBackException>(() => rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [1.0, 2.0, 3.0, 4.0]));
        Assert.Equal(Ad5754Register.DacData, error.Register);
        Assert.Equal(3, error.Address);
    }

    [Fact]
    public void Set_voltage_lands_on_the_model_output_after_settling()
    {
        using var rig = new DacRig(Ad5754BipolarCoding.OffsetBinary);
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar5V, [0.0, 0.0]);
        rig.Dac.SetVoltage(1, -3.3);
        rig.Clock.Advance(20_000);
        Assert.Equal(-3.3, rig.Model.OutputVolts(1), 3);
        Assert.Equal(-3.3, rig.Dac.ReadBackVoltage(1), 3);
        Assert.Equal(0.0, rig.Model.OutputVolts(2)); // never powered
    }

    [Fact]
    public void Out_of_range_voltage_is_refused_before_anything_is_sent()
    {
        using var rig = new DacRig();
        rig.Dac.PowerUp(Ad5754OutputRange.Unipolar5V, [1.0]);
        var sent = rig.Frames.Length;
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Dac.SetVoltage(0, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Dac.SetVoltage(0, 5.2));
        Assert.Equal(sent, rig.Frames.Length);
    }

    [Fact]
    public void Held_ldac_updates_outputs_together_on_the_pulse()
    {
        using var rig = new DacRig();
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [0.0, 0.0]);
        rig.Dac.HoldLdac(true);

        rig.Dac.SetVoltage(0, 5.0);
        rig.Dac.SetVoltage(1, -5.0);
        Assert.Equal(0.0, rig.Model.TargetVolts(0));
        Assert.Equal(0.0, rig.Model.TargetVolts(1));

        rig.Dac.UpdateOutputs();
        Assert.Equal(5.0, rig.Model.TargetVolts(0), 3);
        Assert.Equal(-5.0, rig.Model.TargetVolts(1), 3);
        Assert.True(rig.Gpio.IsHigh(DacRig.LdacPin)); // still held for the next batch
    }

    [Fact]
    public void Without_an_ldac_pin_the_load_command_updates_and_holding_is_refused()
    {
        using var rig = new DacRig(wirePins: false);
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [1.0]);
        Assert.Throws<InvalidOperationException>(() => rig.Dac.HoldLdac(true));
        rig.Dac.UpdateOutputs();
        Assert.Equal(0x1D0000, rig.Frames[^1]);
    }

    [Fact]
    public void Clear_command_and_clr_pin_return_outputs_to_zero_volts()
    {
        using var rig = new DacRig();
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [7.0, -7.0]);
        rig.Dac.Clear();
        Assert.Equal(0.0, rig.Model.TargetVolts(0), 6);
        Assert.Equal(0.0, rig.Model.TargetVolts(1), 6);

        rig.Dac.SetVoltage(0, 3.0);
        rig.Dac.PulseClearPin();
        Assert.Equal(0.0, rig.Model.TargetVolts(0), 6);
        Assert.Equal(0, rig.Dac.ReadBackCode(0));
    }

    [Theory]
    [InlineData(false, 0, Ad5754Alerts.None)]
    [InlineData(true, 0, Ad5754Alerts.ThermalShutdown)]
    [InlineData(false, 0b0101, Ad5754Alerts.OvercurrentA | Ad5754Alerts.OvercurrentC)]
    [InlineData(true, 0b1010, Ad5754Alerts.ThermalShutdown | Ad5754Alerts.OvercurrentB | Ad5754Alerts.OvercurrentD)]
    public void Alerts_are_read_from_the_power_control_register(bool thermal, int overcurrent, Ad5754Alerts expected)
    {
        using var rig = new DacRig();
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [0.0, 0.0, 0.0, 0.0]);
        rig.Model.SetAlerts(thermal, overcurrent);
        Assert.Equal(expected, rig.Dac.ReadAlerts());
        rig.Dac.PowerUpChannel(0); // alert bits never fail the power control read-back
    }
}
