using System.Globalization;

namespace Qkd.Simulation.Trace;

/// <summary>
/// Streams signal changes as an IEEE 1364 Value Change Dump (open it in GTKWave or PulseView):
/// <c>$timescale 1 ns</c>, one <c>$scope module</c> per board, <c>wire 1</c> for digital and
/// <c>real 64</c> for real signals, then <c>#time</c> blocks in increasing order holding only real changes.
/// Changes may arrive out of time order across signals within a bounded reorder window
/// (<c>reorderCapacity</c> changes); memory stays bounded however long the run. Signals are declared
/// up front or on first use before the header is written (at the first flush).
/// </summary>
public sealed class VcdWriter : ISignalTrace, IDisposable
{
    /// <summary>Digital wires of a board trace (issue 3).</summary>
    public static readonly string[] BoardDigitalSignals =
        ["trigger", "dac_sync", "dac_sclk", "dac_sdin", "dac_ldac", "mux_en", "mux_a0", "mux_a1", "scope_sync"];

    /// <summary>Real-valued signals of a board trace: EOM drive and the four DAC outputs.</summary>
    public static readonly string[] BoardRealSignals = ["eom_v", "dac_vout_a", "dac_vout_b", "dac_vout_c", "dac_vout_d"];

    private readonly object _sync = new();
    private readonly TextWriter _out;
    private readonly bool _leaveOpen;
    private readonly List<string> _scopeOrder = [];
    private readonly Dictionary<(string Scope, string Signal), int> _ids = [];
    private readonly List<SignalInfo> _signals = [];
    private readonly Change[] _pending;
    private int _pendingCount;
    private long _sequence;
    private bool _headerWritten;
    private long _lastWrittenTimeNs = -1;
    private bool _disposed;

    public VcdWriter(TextWriter output, int reorderCapacity = 65_536, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (reorderCapacity < 2) throw new ArgumentOutOfRangeException(nameof(reorderCapacity), reorderCapacity, "need room for at least 2 changes");
        _out = output;
        _leaveOpen = leaveOpen;
        _pending = new Change[reorderCapacity];
    }

    /// <summary>Creates (or overwrites) a .vcd file.</summary>
    public static VcdWriter Create(string path, int reorderCapacity = 65_536) =>
        new(new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" }, reorderCapacity);

    /// <summary>Latest time written to the output so far (-1 before the first block).</summary>
    public long WrittenUpToNs
    {
        get { lock (_sync) return _lastWrittenTimeNs; }
    }

    public void DeclareDigital(string scope, string signal)
    {
        lock (_sync) Declare(scope, signal, isReal: false);
    }

    public void DeclareReal(string scope, string signal)
    {
        lock (_sync) Declare(scope, signal, isReal: true);
    }

    /// <summary>Declares the standard board signals (<see cref="BoardDigitalSignals"/>, <see cref="BoardRealSignals"/>) in <paramref name="scope"/>.</summary>
    public void DeclareBoard(string scope)
    {
        lock (_sync)
        {
            foreach (var s in BoardDigitalSignals) Declare(scope, s, isReal: false);
            foreach (var s in BoardRealSignals) Declare(scope, s, isReal: true);
        }
    }

    public void Digital(string scope, string signal, long timeNs, bool value) => Add(scope, signal, timeNs, value ? 1 : 0, isReal: false);

    public void Real(string scope, string signal, long timeNs, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{scope}.{signal}: a traced voltage must be finite");
        Add(scope, signal, timeNs, value, isReal: true);
    }

    /// <summary>Writes every pending change and flushes the output.</summary>
    public void Flush()
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            WritePending(_pendingCount);
            _out.Flush();
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed) return;
            WritePending(_pendingCount);
            _out.Flush();
            _disposed = true;
            if (!_leaveOpen) _out.Dispose();
        }
    }

    private void Add(string scope, string signal, long timeNs, double value, bool isReal)
    {
        if (timeNs < 0) throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, "time cannot be negative");
        lock (_sync)
        {
            ThrowIfDisposed();
            if (!_ids.TryGetValue((scope, signal), out var id))
            {
                if (_headerWritten)
                    throw new InvalidOperationException($"signal {scope}.{signal} first appears after the VCD header was written; declare it before tracing");
                id = Declare(scope, signal, isReal);
            }

            var info = _signals[id];
            if (info.IsReal != isReal)
                throw new InvalidOperationException($"signal {scope}.{signal} is declared {(info.IsReal ? "real" : "digital")}");
            if (timeNs < info.LastTimeNs)
                throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, $"{scope}.{signal}: time went back from {info.LastTimeNs} ns");
            if (timeNs < _lastWrittenTimeNs)
                throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs,
                    $"{scope}.{signal}: change at {timeNs} ns arrives after the trace was written up to {_lastWrittenTimeNs} ns (reorder window too small)");

            info.LastTimeNs = timeNs;
            if (info.HasValue && info.Value == value) return;
            info.HasValue = true;
            info.Value = value;

            if (_pendingCount == _pending.Length) WritePending(_pendingCount / 2);
            _pending[_pendingCount++] = new Change(timeNs, _sequence++, id, value);
        }
    }

    private int Declare(string scope, string signal, bool isReal)
    {
        ThrowIfDisposed();
        if (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace))
            throw new ArgumentException($"scope '{scope}' must be a non-empty name without spaces", nameof(scope));
        if (string.IsNullOrWhiteSpace(signal) || signal.Any(char.IsWhiteSpace))
            throw new ArgumentException($"signal '{signal}' must be a non-empty name without spaces", nameof(signal));
        if (_ids.TryGetValue((scope, signal), out var existing))
        {
            if (_signals[existing].IsReal != isReal)
                throw new InvalidOperationException($"signal {scope}.{signal} is already declared {(isReal ? "digital" : "real")}");
            return existing;
        }
        if (_headerWritten)
            throw new InvalidOperationException($"signal {scope}.{signal} declared after the VCD header was written");

        if (!_scopeOrder.Contains(scope)) _scopeOrder.Add(scope);
        var id = _signals.Count;
        _signals.Add(new SignalInfo(scope, signal, isReal, IdentifierCode(id)));
        _ids.Add((scope, signal), id);
        return id;
    }

    /// <summary>Writes the <paramref name="count"/> oldest pending changes (by time, then arrival).</summary>
    private void WritePending(int count)
    {
        if (!_headerWritten) WriteHeader();
        if (count == 0) return;

        Array.Sort(_pending, 0, _pendingCount, ChangeOrder.Instance);
        for (var i = 0; i < count; i++)
        {
            var change = _pending[i];
            if (change.TimeNs != _lastWrittenTimeNs)
            {
                _out.Write('#');
                _out.Write(change.TimeNs.ToString(CultureInfo.InvariantCulture));
                _out.Write('\n');
                _lastWrittenTimeNs = change.TimeNs;
            }

            var info = _signals[change.Signal];
            if (info.IsReal)
            {
                _out.Write('r');
                _out.Write(change.Value.ToString("R", CultureInfo.InvariantCulture));
                _out.Write(' ');
            }
            else
            {
                _out.Write(change.Value != 0 ? '1' : '0');
            }
            _out.Write(info.Code);
            _out.Write('\n');
        }

        Array.Copy(_pending, count, _pending, 0, _pendingCount - count);
        _pendingCount -= count;
    }

    private void WriteHeader()
    {
        _out.Write("$date\n  ");
        _out.Write(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        _out.Write("\n$end\n$version\n  QkdEmbedded Qkd.Simulation VcdWriter\n$end\n$timescale 1 ns $end\n");
        foreach (var scope in _scopeOrder)
        {
            _out.Write("$scope module ");
            _out.Write(scope);
            _out.Write(" $end\n");
            foreach (var info in _signals)
            {
                if (info.Scope != scope) continue;
                _out.Write(info.IsReal ? "$var real 64 " : "$var wire 1 ");
                _out.Write(info.Code);
                _out.Write(' ');
                _out.Write(info.Name);
                _out.Write(" $end\n");
            }
            _out.Write("$upscope $end\n");
        }
        _out.Write("$enddefinitions $end\n");
        _headerWritten = true;
    }

    /// <summary>VCD identifier: base-94 over the printable characters '!'..'~'.</summary>
    private static string IdentifierCode(int index)
    {
        var chars = new List<char>();
        do
        {
            chars.Add((char)('!' + index % 94));
            index = index / 94 - 1;
        } while (index >= 0);
        return new string([.. chars]);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private readonly record struct Change(long TimeNs, long Sequence, int Signal, double Value);

    private sealed class SignalInfo(string scope, string name, bool isReal, string code)
    {
        public string Scope { get; } = scope;
        public string Name { get; } = name;
        public bool IsReal { get; } = isReal;
        public string Code { get; } = code;
        public long LastTimeNs { get; set; } = long.MinValue;
        public bool HasValue { get; set; }
        public double Value { get; set; }
    }

    private sealed class ChangeOrder : IComparer<Change>
    {
        public static readonly ChangeOrder Instance = new();

        public int Compare(Change x, Change y)
        {
            var byTime = x.TimeNs.CompareTo(y.TimeNs);
            return byTime != 0 ? byTime : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
