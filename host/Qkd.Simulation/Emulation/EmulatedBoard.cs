using Qkd.Firmware.Roles;
using Qkd.Firmware.Session;
using Qkd.Wire;

namespace Qkd.Simulation.Emulation;

/// <summary>
/// An emulated board: the real firmware (BoardSession + Alice or Bob role) on the device models and the
/// emulated hardware-timed engine, talking the real link over a byte stream (in-memory pipe, TCP or a
/// serial port). <see cref="Reset"/> power-cycles it: the firmware starts from scratch (new Hello, no
/// configuration, tables and results gone), as a real board after a reset.
/// </summary>
public sealed class EmulatedBoard : IDisposable
{
    private readonly EmulatedOpticalBench _bench;
    private readonly EmulatedBoardOptions _options;
    private readonly StreamLinkDriver _driver;
    private EmulatedBoardHardware? _hardware;
    private PulseRole? _role;

    public EmulatedBoard(EmulatedOpticalBench bench, EmulatedBoardOptions options, Stream stream)
    {
        _bench = bench ?? throw new ArgumentNullException(nameof(bench));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _driver = new StreamLinkDriver(stream, options.BoardId);
    }

    /// <summary>Power-ups so far (1 after <see cref="Start"/>, +1 per <see cref="Reset"/>).</summary>
    public int PowerUps { get; private set; }

    public void Start()
    {
        lock (_driver.Sync) PowerUp();
        _driver.Start();
    }

    /// <summary>Power-cycles the board: everything the firmware held is gone, it says Hello again.</summary>
    public void Reset()
    {
        lock (_driver.Sync)
        {
            ShutDown();
            PowerUp();
        }
    }

    public void Dispose()
    {
        _driver.Dispose();
        lock (_driver.Sync) ShutDown();
    }

    private void PowerUp()
    {
        var hardware = new EmulatedBoardHardware(_bench, _options);
        var identity = new BoardIdentity
        {
            FirmwareVersion = "0.1.0-emulated",
            BoardId = _options.BoardId,
            Role = _options.Role,
            MaxPulsesPerBlock = _options.MaxPulsesPerBlock,
            DetectionCapacity = _options.DetectionCapacity,
            MissedCapacity = 256,
            MaxPulseRateHz = _options.MaxPulseRateHz,
        };
        PulseRole role = _options.Role == BoardRole.Alice ? new AliceRole(hardware, identity) : new BobRole(hardware, identity);
        hardware.BlockNumberOf = block =>
        {
            for (var i = 0; i < Qkd.Firmware.Tables.TableBank.BufferCount; i++)
            {
                var buffer = role.Tables[i];
                if (ReferenceEquals(buffer.Block, block)) return buffer.BlockId;
            }
            return 0;
        };
        var session = new BoardSession(role, identity, _driver, new SessionOptions
        {
            Link = CopyLink(_options.Link), BatchFlushMs = 20, ProgressMs = 500, HeartbeatMs = 500, ReconnectMs = 500, OutboxSlots = 32,
        });
        _hardware = hardware;
        _role = role;
        PowerUps++;
        _driver.Attach((bytes, offset, count, now) => session.OnBytesReceived(bytes, offset, count, now), session.Poll);
        session.Start(_driver.NowMs); // the firmware derives its link epoch from the time: differs per power-up
    }

    private void ShutDown()
    {
        _driver.Attach(null, null);
        _role?.Dispose();
        _hardware?.Dispose();
        _role = null;
        _hardware = null;
    }

    // A copy per power-up: BoardSession sets AutoRelease = false on the options it is given.
    private static Qkd.Wire.Link.LinkOptions CopyLink(Qkd.Wire.Link.LinkOptions o) => new()
    {
        MaxPayloadBytes = o.MaxPayloadBytes, SendWindow = o.SendWindow, ReceiveCapacity = o.ReceiveCapacity,
        RetransmitTimeoutMs = o.RetransmitTimeoutMs, MaxRetransmits = o.MaxRetransmits,
        RetransmitBackoffLimit = o.RetransmitBackoffLimit, NackHoldoffMs = o.NackHoldoffMs,
    };
}
