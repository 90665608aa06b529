using System.Device.Gpio;
using Qkd.Firmware.Bench;
using Qkd.Firmware.Roles;
using Qkd.Simulation.Devices.Ad5754;
using Qkd.Simulation.Devices.Gpio;
using Qkd.Simulation.Devices.Mux36D04;
using Qkd.Simulation.Devices.Optics;
using Qkd.Simulation.Trace;
using Qkd.Wire;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// An emulated Alice or Bob board on the bench: the firmware's role (configured by
/// <see cref="Run"/> or by a BoardSession's Configure) drives the AD5754 model over modelled SPI mode 2,
/// and the firmware's <see cref="BenchRoutine"/> steps the MUX model while virtual time
/// (<see cref="SimClock"/>) advances in sample steps through MUX -> HV amplifier (slew, bandwidth) -> EOM.
/// Each scope-sync edge starts a measurement: settle = trigger to EOM retardance within tolerance of
/// its target for good. Every wire goes to the trace in the board's scope ("alice" / "bob").
/// </summary>
public sealed class BenchBoard : IDisposable
{
    /// <summary>Bob's MUX A1 is strapped low: the model gets a wire nobody drives.</summary>
    private const int TiedLowPin = 255;
    private const long PowerUpSettleNs = 50_000;

    private readonly BenchBoardSpec _spec;
    private readonly BenchBoardOptions _options;
    private readonly GpioController _gpio;
    private readonly BenchSettleMeter _meter;
    private readonly BenchEmulatedPacer _pacer;
    private readonly Ad5754Model _dac;

    public BenchBoard(BenchBoardSpec spec, BenchBoardOptions? options = null, ISignalTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _options = options ??= new BenchBoardOptions();
        if (options.SampleNs <= 0) throw new ArgumentOutOfRangeException(nameof(options), "sample step must be positive");
        if (!(options.ToleranceRad > 0)) throw new ArgumentOutOfRangeException(nameof(options), "tolerance must be positive");

        var cfg = spec.Configure;
        var scope = spec.Scope;
        (trace as VcdWriter)?.DeclareBoard(scope);
        var clock = Clock = new SimClock();
        var driver = new ModelGpioDriver(256, clock, trace, scope);
        _gpio = new GpioController(driver);
        var dac = _dac = new Ad5754Model(clock, new Ad5754ModelOptions { TwosComplement = cfg.DacCoding == DacCoding.TwosComplement },
            driver, cfg.DacLdacPin, cfg.DacClrPin, trace, scope);
        var a1Pin = cfg.MuxA1Pin >= 0 && spec.IsAlice ? cfg.MuxA1Pin : TiedLowPin;
        var mux = new Mux36D04Model(clock, driver, cfg.MuxEnPin, cfg.MuxA0Pin, a1Pin, options.MuxTransitionNs);
        var amplifier = new HvAmplifierModel(spec.AmplifierGain, options.BandwidthHz, options.SlewVoltsPerUs, spec.AmplifierClampVolts, clock.NowNs);
        var eom = new EomModel(spec.EomHalfWaveVolts, trace, scope);
        trace?.Real(scope, "eom_v", clock.NowNs, eom.Volts); // the model traces changes only: give the viewer a start value
        var chain = new EomDriveChain(clock, dac, mux, amplifier, eom);
        driver.NameSignal(cfg.TriggerInPin, "trigger");
        driver.NameSignal(cfg.ScopeSyncPin, "scope_sync");
        if (a1Pin == TiedLowPin) driver.NameSignal(TiedLowPin, "mux_a1");

        var identity = new BoardIdentity { BoardId = spec.Name, Role = cfg.Role, MaxPulsesPerBlock = 64, DetectionCapacity = 16, MissedCapacity = 16 };
        var hardware = new BenchBoardHardware(_gpio, dac, clock, trace, scope);
        Role = spec.IsAlice ? new AliceRole(hardware, identity) : new BobRole(hardware, identity);
        Identity = identity;

        var holdNs = HoldNs(spec, options);
        _meter = new BenchSettleMeter(options.SampleNs, options.ToleranceRad, holdNs);
        int Address() => (driver.IsHigh(a1Pin) ? 2 : 0) | (driver.IsHigh(cfg.MuxA0Pin) ? 1 : 0);

        void Sample()
        {
            var retardance = chain.Sample();
            var target = Math.Clamp(amplifier.Gain * dac.TargetVolts(Address()), -amplifier.ClampVolts, amplifier.ClampVolts);
            _meter.Sample(clock.NowNs, retardance, eom.RetardanceFor(target), eom.Volts, target);
        }

        void DriveTrigger(bool high)
        {
            driver.DriveInput(cfg.TriggerInPin, high);
            if (high) dac.TraceOutputs();
        }

        _pacer = new BenchEmulatedPacer(clock, options.SampleNs, options.TriggerWidthNs, DriveTrigger, Sample, () => { _meter.Close(); dac.TraceOutputs(); });
        driver.AddListener(cfg.ScopeSyncPin, (_, high, t) => { if (high) _meter.Open(t, Address(), eom.Volts); });
        driver.AddListener(cfg.MuxA0Pin, (_, _, t) => _meter.OnMuxAddress(t, Address()));
        if (a1Pin != TiedLowPin) driver.AddListener(a1Pin, (_, _, t) => _meter.OnMuxAddress(t, Address()));

        Routine = new BenchRoutine(Role, _gpio, _pacer) { HoldNs = holdNs };
    }

    public SimClock Clock { get; }

    /// <summary>The firmware role on the models (configure it, or let a BoardSession do it).</summary>
    public PulseRole Role { get; }

    public BoardIdentity Identity { get; }

    /// <summary>The firmware bench routine on this board: a BoardSession's BenchRunner, or run by <see cref="Run"/>.</summary>
    public BenchRoutine Routine { get; }

    /// <summary>Every scope-sync transition measured so far, in order.</summary>
    public IReadOnlyList<BenchMeasuredTransition> Measured => _meter.Measured;

    /// <summary>Configures the role with the spec's Configure and lets the DAC outputs settle (virtual time).</summary>
    public void Configure()
    {
        Role.Configure(_spec.Configure);
        _pacer.AdvanceTo(Clock.NowNs + PowerUpSettleNs);
    }

    /// <summary>One bench run (BenchRun as the host would send it) and the emulator's settle per transition.</summary>
    public BenchBoardResult RunBench(uint rateHz, byte[]? transitions = null)
    {
        if (rateHz == 0) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "rate must be positive");
        var first = _meter.Measured.Count;
        var report = Routine.Run(new BenchRunMessage(rateHz, _options.Repeats, transitions ?? []));
        var measured = _meter.Measured.Skip(first).ToList();
        return new BenchBoardResult(_spec.Name, _spec.Scope, rateHz, 1_000_000_000L / rateHz, _options.ToleranceRad, _options.PulseMarginNs, _options.SampleNs,
            _options.SlewVoltsPerUs, _options.BandwidthHz, Combine(report, measured, _options.Repeats), measured, report);
    }

    /// <summary>Builds the board, configures it and runs the bench once.</summary>
    public static BenchBoardResult Run(BenchBoardSpec spec, uint rateHz, BenchBoardOptions? options = null, ISignalTrace? trace = null, byte[]? transitions = null)
    {
        using var board = new BenchBoard(spec, options, trace);
        board.Configure();
        return board.RunBench(rateHz, transitions);
    }

    public void Dispose()
    {
        Role.Dispose();
        _gpio.Dispose();
    }

    /// <summary>
    /// Hold before and after each measured transition: long enough for a rail-to-rail slew plus 20 time
    /// constants three times over, at least 20 us, so the settle is seen whole even when slower than a period.
    /// </summary>
    private static long HoldNs(BenchBoardSpec spec, BenchBoardOptions options)
    {
        var slewNs = 2 * spec.AmplifierClampVolts / options.SlewVoltsPerUs * 1000.0;
        var tauNs = 1e9 / (2 * Math.PI * options.BandwidthHz);
        return Math.Max(20_000L, (long)(3 * (slewNs + 20 * tauNs)) + options.MuxTransitionNs);
    }

    /// <summary>Pairs the firmware's report (one timing per requested transition) with the emulator's measurements, repeats in order.</summary>
    private static List<BenchTransitionResult> Combine(BenchReportMessage report, List<BenchMeasuredTransition> measured, uint repeats)
    {
        var timings = report.Timings;
        if (measured.Count != timings.Length * (int)repeats)
            throw new InvalidOperationException($"the emulator saw {measured.Count} scope-sync transitions, the firmware reported {timings.Length} x {repeats}");
        var results = new List<BenchTransitionResult>(timings.Length);
        for (var p = 0; p < timings.Length; p++)
        {
            var runs = measured.Skip(p * (int)repeats).Take((int)repeats).ToList();
            var timing = timings[p];
            if (runs.Any(m => m.From != timing.From || m.To != timing.To))
                throw new InvalidOperationException($"transition {timing.From}->{timing.To}: the MUX model saw {runs[0].From}->{runs[0].To}");
            results.Add(new BenchTransitionResult(timing.From, timing.To, (long)runs.Average(m => m.SettleNs), runs.Max(m => m.SettleNs),
                runs.All(m => m.Settled), timing.SettleNs, timing.SettleMaxNs));
        }
        return results;
    }
}
