using Qkd.Firmware.Bench;
using Qkd.Firmware.Tests.Session;
using Qkd.Firmware.Tests.Support;
using Qkd.Wire;

namespace Qkd.Firmware.Tests.Bench;

/// <summary>BenchRun over the wire link reaches the bench routine and its BenchReport comes back.</summary>
public class BenchSessionTests
{
    private static BenchRoutine Attach(SessionRig rig, ScriptedPacer pacer)
    {
        var routine = new BenchRoutine(rig.Role, rig.Hardware.Gpio, pacer) { HoldNs = 4_000 };
        rig.Session.BenchRunner = routine;
        return routine;
    }

    [Fact]
    public void Bench_run_on_a_configured_alice_answers_with_twelve_timings()
    {
        using var rig = new SessionRig(BoardRole.Alice, managedEngine: true);
        var pacer = new ScriptedPacer { DelayAfterTrigger = _ => 700 };
        Attach(rig, pacer);
        rig.Connect();
        rig.ConfigureBoard();

        rig.Send(new BenchRunMessage(500_000, 2, []));
        Assert.True(rig.RunUntil(() => rig.Host.Received<BenchReportMessage>().Any()));

        var report = rig.Host.Received<BenchReportMessage>().Single();
        Assert.Equal((500_000u, 2u, 12), (report.RateHz, report.Repeats, report.Timings.Length));
        Assert.All(report.Timings, t => Assert.Equal((700u, 700u), (t.SettleNs, t.SettleMaxNs)));
        Assert.Empty(rig.Host.Received<ErrorMessage>());
    }

    [Fact]
    public void Bench_run_before_configure_is_answered_with_an_error()
    {
        using var rig = new SessionRig(BoardRole.Alice, managedEngine: true);
        var pacer = new ScriptedPacer();
        Attach(rig, pacer);
        rig.Connect();

        rig.Send(new BenchRunMessage(500_000, 1, []));
        Assert.True(rig.RunUntil(() => rig.Host.Received<ErrorMessage>().Any()));

        var error = rig.Host.Received<ErrorMessage>().Single();
        Assert.Equal(ErrorCode.BadState, error.Code);
        Assert.Contains("configure", error.Text);
        Assert.Empty(rig.Host.Received<BenchReportMessage>());
        Assert.Equal(0, pacer.Triggers);
    }
}
