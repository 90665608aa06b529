using System.Device.Spi;
using Qkd.Simulation.Devices.Spi;

namespace Qkd.Simulation.Tests.Devices;

public class ModelSpiDeviceTests
{
    private sealed class EchoTarget : ISpiTarget
    {
        public List<string> Events { get; } = [];
        private byte _last = 0xA5;

        public void FrameStart(SpiConnectionSettings settings) => Events.Add("start");

        public byte Exchange(byte mosi)
        {
            Events.Add($"byte {mosi:X2}");
            var previous = _last;
            _last = mosi;
            return previous;
        }

        public void FrameEnd() => Events.Add("end");
    }

    private static SpiConnectionSettings Mode2(int hz = 10_000_000) => new(0, 5) { Mode = SpiMode.Mode2, ClockFrequency = hz, DataBitLength = 8 };

    [Fact]
    public void Each_call_is_one_chip_select_frame_forwarded_byte_by_byte_and_recorded()
    {
        var target = new EchoTarget();
        var spi = new ModelSpiDevice(Mode2(), target);
        var rx = new byte[2];

        spi.Write(new byte[] { 0x01, 0x02, 0x03 });
        spi.TransferFullDuplex(new byte[] { 0x10, 0x20 }, rx);

        Assert.Equal(["start", "byte 01", "byte 02", "byte 03", "end", "start", "byte 10", "byte 20", "end"], target.Events);
        Assert.Equal(new byte[] { 0x03, 0x10 }, rx);
        Assert.Equal(2, spi.Transfers.Count);
        Assert.Equal(new byte[] { 0x10, 0x20 }, spi.Transfers[1].Mosi);
        Assert.Equal(new byte[] { 0x03, 0x10 }, spi.Transfers[1].Miso);
    }

    [Fact]
    public void Bits_take_sclk_periods_of_virtual_time_and_are_traced_msb_first_with_mode2_idle_high()
    {
        var clock = new SimClock();
        var trace = new RecordingTrace();
        var spi = new ModelSpiDevice(Mode2(10_000_000), new EchoTarget(), clock, trace, "alice");

        spi.Write(new byte[] { 0b1010_0001 });

        Assert.Equal(800, clock.NowNs);
        Assert.Equal([true, false, true, false, false, false, false, true], trace.ValuesOf("dac_sdin"));
        Assert.Equal([true, false, true], trace.ValuesOf("dac_sync"));
        Assert.True(trace.ValuesOf("dac_sclk").First());
    }

    [Fact]
    public void Injected_sync_glitch_splits_the_frame()
    {
        var target = new EchoTarget();
        var spi = new ModelSpiDevice(Mode2(), target);
        spi.InjectSyncGlitchAfterBytes(1);

        spi.Write(new byte[] { 0x01, 0x02, 0x03 });

        Assert.Equal(["start", "byte 01", "end", "start", "byte 02", "byte 03", "end"], target.Events);
    }
}
