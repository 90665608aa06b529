using Qkd.Firmware.Engine;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;
using DetectorCode = Qkd.Wire.DetectorCode;

namespace Qkd.Firmware.Tests.Roles;

/// <summary>
/// The roles with the real managed pulse engine on the GPIO model: 10^5 trigger edges on the trigger
/// pin, the MUX address lines read after each, the APD latches played by the test, three pin events lost.
/// </summary>
public class ManagedEngineRoleTests
{
    private const int Pulses = 100_000;
    private static readonly int[] LostEvents = [17, 18, 60_001];

    [Theory]
    [InlineData(BoardRole.Alice)]
    [InlineData(BoardRole.Bob)]
    public void Every_mux_code_matches_the_table_and_lost_trigger_events_are_reported_at_their_own_pulse(byte role)
    {
        var counter = new EdgeCounter();
        using var rig = new RoleRig(role, managedEngine: true, counter: counter);
        var bits = rig.BitsPerPulse;
        var driver = rig.Hardware.Driver;
        var clicks = role == BoardRole.Bob ? Boards.RandomClicks(Pulses, oneIn: 30, seed: 21) : new byte[Pulses];
        driver.AddListener(Boards.Trigger, (_, high, _) => { if (high) counter.Count++; });
        driver.AddListener(Boards.Gate, (_, high, _) =>
        {
            if (!high) return;
            var click = clicks[counter.Count - 1];
            if ((click & DetectorCode.Apd0) != 0) driver.DriveInput(Boards.Latch0, true);
            if ((click & DetectorCode.Apd1) != 0) driver.DriveInput(Boards.Latch1, true);
        });
        driver.AddListener(Boards.LatchClearPin, (_, high, _) =>
        {
            if (!high) return;
            driver.DriveInput(Boards.Latch0, false);
            driver.DriveInput(Boards.Latch1, false);
        });
        rig.Configured();
        var table = Boards.RandomTable(Pulses, bits, seed: 22);
        rig.Load(9, table);
        rig.Role.Arm(9, Pulses);
        rig.Role.Start(9);

        var wrongCodes = 0;
        for (var k = 0; k < Pulses; k++)
        {
            if (LostEvents.Contains(k))
            {
                counter.Count++; // the edge happened; its pin event never reached the engine
                continue;
            }

            driver.DriveInput(Boards.Trigger, true);
            driver.DriveInput(Boards.Trigger, false);
            var code = (driver.IsHigh(Boards.MuxA0) ? 1 : 0) | (bits == 2 && driver.IsHigh(Boards.MuxA1) ? 2 : 0);
            if (code != RoleRig.Code(table, k, bits)) wrongCodes++;
        }

        Assert.True(rig.Role.Poll());
        var block = rig.Role.Finishing!;
        Assert.Equal(0, wrongCodes);
        Assert.Equal((BlockState.Aborted, Pulses, 3), (block.State, block.PulsesDone, block.MissedTriggers));
        Assert.Equal(LostEvents, block.Block.MissedPulses.Take(3));
        var expected = Enumerable.Range(0, Pulses).Where(p => clicks[p] != 0 && !LostEvents.Contains(p)).Select(p => (p, clicks[p])).ToList();
        var captured = Enumerable.Range(0, block.Detections).Select(i => (block.Block.DetectionPulses[i], block.Block.DetectionCodes[i])).ToList();
        Assert.Equal(expected, captured);
    }

    private sealed class EdgeCounter : ITriggerCounter
    {
        public long Count { get; set; }
    }
}
