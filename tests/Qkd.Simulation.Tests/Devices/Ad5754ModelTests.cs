using System.Device.Gpio;
using System.Device.Spi;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Spi;

namespace Qkd.Simulation.Tests.Devices;

/// <summary>The model driven with hand-built frames, independent of the firmware driver.</summary>
public class Ad5754ModelTests
{
    private const int Ldac = 3, Clr = 4;

    private sealed class Rig
    {
        public Rig(bool twosComplement = true, SpiMode mode = SpiMode.Mode2, int sclkHz = 20_000_000)
        {
            Gpio = new ModelGpioDriver(16, Clock, Trace, "alice");
            Controller = new GpioController(Gpio);
            Controller.OpenPin(Ldac, PinMode.Output, PinValue.Low);
            Controller.OpenPin(Clr, PinMode.Output, PinValue.High);
            Model = new Ad5754Model(Clock, new Ad5754ModelOptions { TwosComplement = twosComplement }, Gpio, Ldac, Clr, Trace, "alice");
            Spi = new ModelSpiDevice(new SpiConnectionSettings(0, 1) { Mode = mode, ClockFrequency = sclkHz }, Model);
        }

        public SimClock Clock { get; } = new();
        public RecordingTrace Trace { get; } = new();
        public ModelGpioDriver Gpio { get; }
        public GpioController Controller { get; }
        public Ad5754Model Model { get; }
        public ModelSpiDevice Spi { get; }

        public void Send(int frame) => Spi.Write(new[] { (byte)(frame >> 16), (byte)(frame >> 8), (byte)frame });

        public int Exchange(int frame)
        {
            var rx = new byte[3];
            Spi.TransferFullDuplex(new[] { (byte)(frame >> 16), (byte)(frame >> 8), (byte)frame }, rx);
            return (rx[0] << 16) | (rx[1] << 8) | rx[2];
        }

        /// <summary>Reference and all channels on, range +-10 V.</summary>
        public void PowerAll()
        {
            Send(0x10001F);
            Send(0x0C0004);
        }
    }


    [Fact]
    public void Full_scale_step_settles_within_one_lsb_in_the_settle_time_and_not_before()
    {
        var rig = new Rig();
        rig.PowerAll();
        rig.Clock.Advance(100_000);
        var start = rig.Model.OutputVolts(0);
        Assert.Equal(0.0, start, 6);

        rig.Send(0x007FFF); // +10 V - 1 LSB
        var target = rig.Model.TargetVolts(0);
        var lsb = 20.0 / 65536;
        rig.Clock.Advance(1_000);
        Assert.True(target - rig.Model.OutputVolts(0) > 1.0, "after 1 us the output is still far from its target");
        rig.Clock.Advance(9_000);
        Assert.True(Math.Abs(target - rig.Model.OutputVolts(0)) <= lsb, "after 10 us the output is within 1 LSB");
    }

    [Fact]
    public void Output_needs_both_reference_and_channel_power()
    {
        var rig = new Rig();
        rig.Send(0x080004);  // range A +-10 V
        rig.Send(0x004000);  // A = +5 V
        rig.Clock.Advance(50_000);
        Assert.Equal(0.0, rig.Model.OutputVolts(0));

        rig.Send(0x100001);  // channel A, no reference
        rig.Clock.Advance(50_000);
        Assert.Equal(0.0, rig.Model.OutputVolts(0));

        rig.Send(0x100011);  // reference + A
        rig.Clock.Advance(50_000);
        Assert.Equal(5.0, rig.Model.OutputVolts(0), 4);
    }

    [Fact]
    public void Power_up_state_is_zero_volts_everywhere_with_registers_cleared()
    {
        var rig = new Rig();
        for (var channel = 0; channel < 4; channel++)
        {
            Assert.Equal(0.0, rig.Model.OutputVolts(channel));
            Assert.Equal(0, rig.Model.DacRegister(channel));
        }
        Assert.Equal(0, rig.Model.PowerControlRegister);
    }

    [Fact]
    public void Malformed_frames_are_counted_and_ignored()
    {
        var rig = new Rig();
        rig.Spi.Write(new byte[] { 0x00, 0x12 });                 // 16 bits
        rig.Spi.Write(new byte[] { 0x00, 0x12, 0x34, 0x56 });     // 32 bits
        rig.Spi.InjectSyncGlitchAfterBytes(2);
        rig.Send(0x011111);                                       // SYNC glitch: 16 + 8 bits
        Assert.Equal(4, rig.Model.MalformedFrames);
        Assert.Equal(0, rig.Model.AcceptedFrames);
        Assert.Equal(0, rig.Model.InputRegister(0));
        Assert.Equal(0, rig.Model.InputRegister(1));

        rig.Send(0x011111);
        Assert.Equal(1, rig.Model.AcceptedFrames);
        Assert.Equal(0x1111, rig.Model.InputRegister(1));
    }

    [Theory]
    [InlineData(SpiMode.Mode0, 10_000_000)]
    [InlineData(SpiMode.Mode2, 40_000_000)]
    public void Frames_in_the_wrong_mode_or_too_fast_are_refused(SpiMode mode, int hz)
    {
        var rig = new Rig(mode: mode, sclkHz: hz);
        rig.Send(0x001234);
        Assert.Equal(1, rig.Model.MalformedFrames);
        Assert.Equal(0, rig.Model.InputRegister(0));
    }

    [Fact]
    public void Read_back_comes_out_on_sdo_during_the_next_frame()
    {
        var rig = new Rig();
        rig.Send(0x02ABCD);                      // C = 0xABCD
        var duringRead = rig.Exchange(0x820000); // read C
        var duringNop = rig.Exchange(0x180000);  // NOP
        var afterwards = rig.Exchange(0x180000);

        Assert.Equal(0, duringRead);
        Assert.Equal(0xABCD, duringNop & 0xFFFF);
        Assert.Equal(0, afterwards);
    }

    [Fact]
    public void Sdo_disable_silences_read_back()
    {
        var rig = new Rig();
        rig.Send(0x190001); // settings: SDO disabled
        rig.Send(0x890000); // read range B
        Assert.Equal(0, rig.Exchange(0x990000) & 0xFFFF);
    }

    [Fact]
    public void Ldac_high_holds_writes_in_the_input_register_until_a_falling_edge()
    {
        var rig = new Rig();
        rig.PowerAll();
        rig.Controller.Write(Ldac, PinValue.High);
        rig.Send(0x002000);
        rig.Send(0x01E000);
        Assert.Equal(0x2000, rig.Model.InputRegister(0));
        Assert.Equal(0, rig.Model.DacRegister(0));

        rig.Controller.Write(Ldac, PinValue.Low);
        Assert.Equal(0x2000, rig.Model.DacRegister(0));
        Assert.Equal(0xE000, rig.Model.DacRegister(1));
        Assert.Equal(2.5, rig.Model.TargetVolts(0), 6);
        Assert.Equal(-2.5, rig.Model.TargetVolts(1), 6);
    }

    [Fact]
    public void Load_command_updates_all_outputs_from_input_registers()
    {
        var rig = new Rig();
        rig.PowerAll();
        rig.Controller.Write(Ldac, PinValue.High);
        rig.Send(0x044000);  // all channels
        Assert.Equal(0.0, rig.Model.TargetVolts(3));
        rig.Send(0x1D0000);  // LOAD
        for (var channel = 0; channel < 4; channel++) Assert.Equal(5.0, rig.Model.TargetVolts(channel), 6);
    }

    [Theory]
    [InlineData(false, 0x0C0004, 0.0)]   // CLR select 0: 0 V
    [InlineData(true, 0x0C0004, -10.0)]  // CLR select 1, bipolar: negative full scale
    [InlineData(true, 0x0C0001, 5.0)]    // CLR select 1, unipolar 10 V: midscale
    public void Clr_pin_and_clear_command_go_to_the_clr_select_code(bool clearSelect, int rangeFrame, double expected)
    {
        var rig = new Rig();
        rig.Send(0x10001F);
        rig.Send(rangeFrame);
        rig.Send(clearSelect ? 0x190002 : 0x190000);
        rig.Send(0x003000);
        rig.Controller.Write(Clr, PinValue.Low);
        rig.Controller.Write(Clr, PinValue.High);
        Assert.Equal(expected, rig.Model.TargetVolts(0), 6);

        rig.Send(0x003000);
        rig.Send(0x1C0000); // CLEAR
        Assert.Equal(expected, rig.Model.TargetVolts(0), 6);
    }

    [Fact]
    public void Offset_binary_strap_changes_the_meaning_of_codes()
    {
        var rig = new Rig(twosComplement: false);
        rig.PowerAll();
        rig.Send(0x000000);
        Assert.Equal(-10.0, rig.Model.TargetVolts(0), 6);
        rig.Send(0x008000);
        Assert.Equal(0.0, rig.Model.TargetVolts(0), 6);
    }

    [Fact]
    public void Alerts_appear_in_the_power_control_read_back()
    {
        var rig = new Rig();
        rig.Send(0x100011);
        rig.Model.SetAlerts(true, 0b0110);
        rig.Send(0x900000);
        Assert.Equal(0x0011 | 0x0020 | 0x0300, rig.Exchange(0x180000) & 0xFFFF);
    }

    [Fact]
    public void Spi_wires_ldac_and_outputs_are_traced_in_the_board_scope()
    {
        var rig = new Rig();
        var trace = new RecordingTrace();
        var spi = new ModelSpiDevice(new SpiConnectionSettings(0, 1) { Mode = SpiMode.Mode2, ClockFrequency = 20_000_000 }, rig.Model, rig.Clock, trace, "alice");
        spi.Write(new byte[] { 0x10, 0x00, 0x1F });
        rig.Controller.Write(Ldac, PinValue.High);

        Assert.Equal(24, trace.ValuesOf("dac_sdin").Count());
        Assert.Contains(rig.Trace.DigitalChanges, c => c.Signal == "dac_ldac" && c.Value && c.Scope == "alice");
        Assert.Contains(rig.Trace.RealChanges, c => c.Signal == "dac_vout_d" && c.Scope == "alice");
    }
}
