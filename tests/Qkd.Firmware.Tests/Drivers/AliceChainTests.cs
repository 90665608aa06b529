using System.Device.Gpio;
using Qkd.Firmware.Drivers;
using Qkd.Simulation.Devices.Mux36D04;
using Qkd.Simulation.Devices.Optics;

namespace Qkd.Firmware.Tests.Drivers;

/// <summary>Drivers and models together: Alice's DAC, MUX, amplifier and EOM give H, V, R, L.</summary>
public class AliceChainTests
{
    private const int En = 25, A0 = 26, A1 = 27;
    private const double VPi = 180.0, Gain = 20.0;

    [Theory]
    [InlineData(0, Math.PI)]        // H
    [InlineData(1, 0.0)]            // V
    [InlineData(2, Math.PI / 2)]    // R
    [InlineData(3, -Math.PI / 2)]   // L
    public void Selected_channel_sets_the_eom_retardance(int channel, double gamma)
    {
        using var rig = new DacRig();
        rig.Dac.PowerUp(Ad5754OutputRange.Bipolar10V, [VPi / Gain, 0.0, VPi / 2 / Gain, -VPi / 2 / Gain]);
        using var mux = new Mux36D04(rig.Controller, En, A0, A1);
        var muxModel = new Mux36D04Model(rig.Clock, rig.Gpio, En, A0, A1);
        var chain = new EomDriveChain(rig.Clock, rig.Model, muxModel, new HvAmplifierModel(Gain, 1e6, 150, 200, rig.Clock.NowNs), new EomModel(VPi));
        rig.Clock.Advance(50_000); // DAC outputs settled
        mux.Select((channel + 2) % 4); // start from another state
        for (var step = 0; step < 1_000; step++)
        {
            rig.Clock.Advance(10);
            chain.Sample();
        }

        mux.Select(channel);
        var settledAtNs = -1L;
        for (var step = 0; step < 1_000; step++) // 10 ns steps, 10 us
        {
            rig.Clock.Advance(10);
            var error = Math.Abs(chain.Sample() - gamma);
            if (error < 0.01 && settledAtNs < 0) settledAtNs = step * 10L;
            if (error >= 0.01) settledAtNs = -1;
        }

        Assert.Equal(gamma, chain.Eom.RetardanceRadians, 2);
        Assert.InRange(settledAtNs, 100, 3_000); // not before the MUX transition, well within a 2 us-ish pulse budget
    }
}
