using System.Device.Spi;
using Qkd.Simulation.Trace;

namespace Qkd.Simulation.Devices.Spi;

/// <summary>One recorded chip-select frame: start time, bytes out (MOSI), bytes in (MISO).</summary>
public sealed record SpiTransfer(long StartNs, byte[] Mosi, byte[] Miso);

/// <summary>
/// An <see cref="SpiDevice"/> wired to a device model: every Write/Read/TransferFullDuplex call is one
/// chip-select frame handed byte by byte to the <see cref="ISpiTarget"/>. With a clock, each bit takes
/// one SCLK period of virtual time; with a trace, CS/SCLK/MOSI are traced as
/// <c>{prefix}_sync</c>, <c>{prefix}_sclk</c>, <c>{prefix}_sdin</c>.
/// </summary>
public sealed class ModelSpiDevice : SpiDevice
{
    private readonly SpiConnectionSettings _settings;
    private readonly ISpiTarget _target;
    private readonly SimClock? _clock;
    private readonly ISignalTrace? _trace;
    private readonly string _scope;
    private readonly string _syncSignal;
    private readonly string _sclkSignal;
    private readonly string _sdinSignal;
    private readonly List<SpiTransfer> _transfers = [];
    private int _glitchAfterBytes = -1;

    public ModelSpiDevice(SpiConnectionSettings settings, ISpiTarget target, SimClock? clock = null,
        ISignalTrace? trace = null, string scope = "board", string signalPrefix = "dac")
    {
        _settings = settings;
        _target = target;
        _clock = clock;
        _trace = trace;
        _scope = scope;
        _syncSignal = signalPrefix + "_sync";
        _sclkSignal = signalPrefix + "_sclk";
        _sdinSignal = signalPrefix + "_sdin";
        _trace?.Digital(_scope, _syncSignal, Now, true);
        _trace?.Digital(_scope, _sclkSignal, Now, ClockIdlesHigh);
    }

    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <summary>Record every frame in <see cref="Transfers"/> (allocates per frame: tests only).</summary>
    public bool RecordTransfers { get; set; } = true;

    public IReadOnlyList<SpiTransfer> Transfers => _transfers;

    public void ClearTransfers() => _transfers.Clear();

    /// <summary>Fault injection: in the next frame, CS rises and falls again after this many bytes.</summary>
    public void InjectSyncGlitchAfterBytes(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        _glitchAfterBytes = bytes;
    }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Read(Span<byte> buffer)
    {
        var zeros = new byte[buffer.Length];
        TransferFullDuplex(zeros, buffer);
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Frame(buffer, []);

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
            throw new ArgumentException("write and read buffers must have the same length", nameof(readBuffer));
        Frame(writeBuffer, readBuffer);
    }

    private bool ClockIdlesHigh => _settings.Mode is SpiMode.Mode2 or SpiMode.Mode3;

    private long Now => _clock?.NowNs ?? 0;

    private long BitPeriodNs => _settings.ClockFrequency > 0 ? Math.Max(1, 1_000_000_000L / _settings.ClockFrequency) : 1000;

    private void Frame(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        var startNs = Now;
        var received = RecordTransfers ? new byte[mosi.Length] : null;
        var glitchAt = _glitchAfterBytes;
        _glitchAfterBytes = -1;
        Select();
        for (var i = 0; i < mosi.Length; i++)
        {
            if (i == glitchAt)
            {
                Deselect();
                Select();
            }
            TraceBits(mosi[i]);
            var inByte = _target.Exchange(mosi[i]);
            if (i < miso.Length) miso[i] = inByte;
            if (received is not null) received[i] = inByte;
        }
        Deselect();
        if (received is not null) _transfers.Add(new SpiTransfer(startNs, mosi.ToArray(), received));
    }

    private void Select()
    {
        _trace?.Digital(_scope, _syncSignal, Now, false);
        _target.FrameStart(_settings);
    }

    private void Deselect()
    {
        _trace?.Digital(_scope, _syncSignal, Now, true);
        _target.FrameEnd();
    }

    private void TraceBits(byte value)
    {
        if (_clock is null) return;
        var period = BitPeriodNs;
        var idle = ClockIdlesHigh;
        for (var bit = 7; bit >= 0; bit--)
        {
            var t = _clock.NowNs;
            if (_trace is not null)
            {
                _trace.Digital(_scope, _sdinSignal, t, ((value >> bit) & 1) != 0);
                _trace.Digital(_scope, _sclkSignal, t, !idle);
                _trace.Digital(_scope, _sclkSignal, t + period / 2, idle);
            }
            _clock.Advance(period);
        }
    }
}
