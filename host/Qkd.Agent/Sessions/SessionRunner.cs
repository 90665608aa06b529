using Qkd.Agent.KeySink;
using System.Diagnostics;
using Qkd.Agent.Boards;
using Qkd.Agent.RawData;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.TwoParty;
using Qkd.Firmware.Engine;
using Qkd.Wire;

namespace Qkd.Agent.Sessions;

/// <summary>How long a session runs and how it treats faults.</summary>
public sealed class SessionSettings
{
    /// <summary>Blocks to complete (post-processed), counting those done before a resume; 0 = use <see cref="RawKeyBitsTarget"/>.</summary>
    public int Blocks { get; init; }

    /// <summary>Stop once this many raw key bits (sifted minus estimation sample) were measured; used when Blocks is 0.</summary>
    public long RawKeyBitsTarget { get; init; }

    public int BlockPulses { get; init; } = 100_000;

    /// <summary>Names the session's key blocks in the key stores (with the block number).</summary>
    public string SessionId { get; init; } = "session";

    /// <summary>Finite-key profile and security parameter the pipeline uses: recorded with each key block.</summary>
    public string Profile { get; init; } = "tomamichel-2012";

    public double Epsilon { get; init; } = 1e-10;

    /// <summary>The pipeline's estimation sample fraction (to project raw key bits at measurement time).</summary>
    public double SampleFraction { get; init; } = 0.1;

    /// <summary>Longest a block may take from Start to its results.</summary>
    public TimeSpan BlockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Recoveries in a row without a completed block before the session gives up.</summary>
    public int MaxConsecutiveFaults { get; init; } = 5;

    /// <summary>Test hook: throw <see cref="SimulatedCrashException"/> right after this many raw blocks were stored in this run.</summary>
    public int? CrashAfterRawBlocks { get; init; }
}

public sealed class SimulatedCrashException() : Exception("simulated crash (test hook)");

/// <summary>Totals of a session (this run plus what a resumed directory already held).</summary>
public sealed class SessionSummary
{
    public int Blocks { get; set; }
    public int DiscardedBlocks { get; set; }
    public long Pulses { get; set; }
    public long Detections { get; set; }
    public long SiftedBits { get; set; }
    public long SampleBits { get; set; }
    public long RawKeyBits { get; set; }
    public long SecretKeyBits { get; set; }
    public double QberWeighted { get; set; }
    public bool KeysMatch { get; set; } = true;
    public double Seconds { get; set; }

    /// <summary>QBER over all blocks, weighted by each block's estimation sample.</summary>
    public double Qber => SampleBits == 0 ? double.NaN : QberWeighted / SampleBits;

    public void Add(long pulses, long detections, long sifted, long sample, double qber, long rawKey, long secret, bool match)
    {
        Blocks++;
        Pulses += pulses; Detections += detections; SiftedBits += sifted; SampleBits += sample;
        if (double.IsFinite(qber)) QberWeighted += qber * sample;
        RawKeyBits += rawKey; SecretKeyBits += secret;
        KeysMatch &= match;
    }
}

/// <summary>
/// Drives Alice's and Bob's boards through a session: handshake and Configure from the board files,
/// random tables (health-tested) per block streamed while the previous block runs (double-buffered),
/// Start, results collected, raw data stored durably, then post-processing, journal and key store.
/// A fault (board reset, link lost, silence) discards the running block (counted and logged), re-
/// handshakes, reconfigures and goes on with a new block number. Block numbers are never reused;
/// a resumed session post-processes stored raw blocks first and continues after the last one.
/// </summary>
public sealed class SessionRunner
{
    private readonly BoardConnection _alice;
    private readonly BoardConnection _bob;
    private readonly BoardFile _aliceBoard;
    private readonly BoardFile _bobBoard;
    private readonly IRandomSource _rng;
    private readonly HealthTests _health;
    private readonly BlockPostProcessor _postProcessor;
    private readonly IRawBlockSink _raw;
    private readonly IKeySink _keys;
    private readonly BlockJournal _journal;
    private readonly DiscardLog _discards;
    private readonly SessionSettings _settings;
    private readonly RawDataDirectory? _saveRaw;
    private readonly SessionSummary _summary = new();
    private uint _nextBlockId;
    private long _projectedRawKeyBits;
    private int _rawBlocksThisRun;

    public SessionRunner(BoardConnection alice, BoardConnection bob, BoardFile aliceBoard, BoardFile bobBoard, IRandomSource rng,
        HealthTests health, BlockPostProcessor postProcessor, IRawBlockSink raw, IKeySink keys, BlockJournal journal, DiscardLog discards,
        SessionSettings settings, RawDataDirectory? saveRaw = null)
    {
        _saveRaw = saveRaw;
        (_alice, _bob, _aliceBoard, _bobBoard, _rng, _health) = (alice, bob, aliceBoard, bobBoard, rng, health);
        (_postProcessor, _raw, _keys, _journal, _discards, _settings) = (postProcessor, raw, keys, journal, discards, settings);
        if (settings.Blocks <= 0 && settings.RawKeyBitsTarget <= 0) throw new ArgumentException("give a number of blocks or a raw key bit target");
    }

    public event Action<BlockOutcome>? BlockProcessed;
    public event Action<uint, string>? BlockDiscarded;
    public event Action<string>? Warning;

    public SessionSummary Summary => _summary;

    public SessionSummary Run()
    {
        var clock = Stopwatch.StartNew();
        ResumeFromDisk();
        if (!GoalReached())
        {
            Connect();
            Measure();
        }
        _summary.DiscardedBlocks = _discards.Count();
        _summary.Seconds = clock.Elapsed.TotalSeconds;
        return _summary;
    }

    /// <summary>
    /// Counts journaled blocks, post-processes stored raw blocks that have no journal line yet, and
    /// continues after the highest block number found in raw/, the discards or the --save-raw halves.
    /// </summary>
    private void ResumeFromDisk()
    {
        var journaled = new HashSet<uint>();
        foreach (var line in _journal.Read())
        {
            if (!journaled.Add(line.Block)) continue;
            _summary.Add(line.Pulses, line.Detections, line.SiftedBits, line.SampleBits, line.Qber, line.RawKeyBits, line.SecretKeyBits, line.KeysMatch);
            _projectedRawKeyBits += line.RawKeyBits;
        }
        uint last = 0;
        foreach (var id in _raw.CompleteBlocks())
        {
            last = Math.Max(last, id);
            if (journaled.Contains(id)) continue;
            var raw = _raw.Read(id);
            _projectedRawKeyBits += ProjectedRawKeyBits(raw);
            Process(raw);
        }
        foreach (var id in _discards.Blocks()) last = Math.Max(last, id);
        // --save-raw halves are written before raw/: a crash between the two leaves a number only there.
        if (_saveRaw is not null)
        {
            foreach (var role in new[] { "alice", "bob" })
                foreach (var number in _saveRaw.BlockNumbers(role)) last = (uint)Math.Max(last, number);
        }
        _nextBlockId = last + 1;
        _blocksBeforeThisRun = _summary.Blocks;
    }

    private void Connect()
    {
        Exception? lastFault = null;
        for (var attempt = 0; attempt < _settings.MaxConsecutiveFaults; attempt++)
        {
            try
            {
                Handshake(_alice, _aliceBoard);
                Handshake(_bob, _bobBoard);
                return;
            }
            catch (BoardFaultException fault)
            {
                lastFault = fault;
                Warning?.Invoke($"{fault.Message}; connecting again");
            }
        }
        throw new BoardFaultException("session", $"could not bring both boards up: {lastFault?.Message}");
    }

    private static void Handshake(BoardConnection connection, BoardFile board)
    {
        var hello = connection.Handshake();
        if (hello.Role != BoardConfiguration.WireRoleOf(board))
            throw new InvalidOperationException($"{connection.Name}: the board says it is {(hello.Role == Qkd.Wire.BoardRole.Alice ? "Alice" : "Bob")}, the board file {board.Name} says {board.Role}");
        var configure = BoardConfiguration.Configure(board);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                connection.Configure(configure, BoardConfiguration.DacChannels(board));
                return;
            }
            catch (BoardRefusedException refused) when (refused.Code == ErrorCode.BadState && deadline.Elapsed < connection.Timeout)
            {
                Thread.Sleep(50); // the block from before the fault is still finishing on the board
            }
        }
    }

    private void Measure()
    {
        PreparedBlock? next = null;
        RawBlock? unprocessed = null;
        var faultsInARow = 0;
        while (true)
        {
            PreparedBlock? running = null;
            try
            {
                next ??= GoalReached() ? null : PrepareAndLoad();
                if (next is null) break;
                running = next;
                next = null;
                _bob.Start(running.Id);
                _alice.Start(running.Id);
                if (!GoalReached(running)) next = PrepareAndLoad(); // block k+1 loads while k runs
                if (unprocessed is not null)
                {
                    Process(unprocessed);
                    unprocessed = null;
                }
                var raw = Collect(running);
                if (raw is null) continue;
                SaveHalves(running, raw);
                _raw.Write(raw);
                var projected = ProjectedRawKeyBits(raw);
                _projectedRawKeyBits += projected;
                _projectedRawThisRun += projected;
                _rawBlocksThisRun++;
                if (_rawBlocksThisRun == _settings.CrashAfterRawBlocks) throw new SimulatedCrashException();
                unprocessed = raw;
                faultsInARow = 0;
            }
            catch (BoardFaultException fault)
            {
                if (running is not null) Discard(running, fault.Message);
                next = null; // its tables were loaded but never measured: a new block replaces it
                if (++faultsInARow > _settings.MaxConsecutiveFaults) throw;
                Warning?.Invoke($"{fault.Message}; re-handshaking");
                Connect();
            }
        }
        if (unprocessed is not null) Process(unprocessed);
    }

    private bool GoalReached(PreparedBlock? inFlight = null)
    {
        var inFlightCount = inFlight is null ? 0 : 1;
        if (_settings.Blocks > 0) return _blocksBeforeThisRun + _rawBlocksThisRun + inFlightCount >= _settings.Blocks;
        var expectedPerBlock = _rawBlocksThisRun == 0 ? 0 : _projectedRawThisRun / _rawBlocksThisRun;
        return _projectedRawKeyBits + inFlightCount * expectedPerBlock >= _settings.RawKeyBitsTarget;
    }

    private int _blocksBeforeThisRun;
    private long _projectedRawThisRun;

    private PreparedBlock PrepareAndLoad()
    {
        var pulses = _settings.BlockPulses;
        var aliceBytes = PulseCodes.PackedLength(pulses, PulseCodes.AliceBitsPerPulse);
        var bobBytes = PulseCodes.PackedLength(pulses, PulseCodes.BobBitsPerPulse);
        var random = new byte[aliceBytes + bobBytes];
        _rng.Fill(random);
        _health.Test(random); // throws HealthTestFailureException: the session stops, nothing is sent
        var block = new PreparedBlock(_nextBlockId++, pulses, random.AsSpan(0, aliceBytes).ToArray(), random.AsSpan(aliceBytes).ToArray());
        Exception? failure = null;
        Parallel.Invoke(
            () => { try { _alice.SendTable(block.Id, block.AliceTable); _alice.Arm(block.Id, pulses); } catch (Exception e) { failure ??= e; } },
            () => { try { _bob.SendTable(block.Id, block.BobTable); _bob.Arm(block.Id, pulses); } catch (Exception e) { failure ??= e; } });
        if (failure is not null)
        {
            if (failure is BoardRefusedException refused) throw new BoardFaultException("session", refused.Message);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return block;
    }

    /// <summary>Waits for both boards' results; null when the block is incomplete (discarded and counted).</summary>
    private RawBlock? Collect(PreparedBlock block)
    {
        var bob = _bob.WaitBlockDone(block.Id, _settings.BlockTimeout);
        var alice = _alice.WaitBlockDone(block.Id, _settings.BlockTimeout);
        foreach (var connection in new[] { _alice, _bob })
        {
            // Heartbeat alerts: AD5754 thermal shutdown (bit 5) or overcurrent (bits 7..10) make the EOM voltages suspect.
            if (connection.LastAlerts != 0) Warning?.Invoke($"{connection.Name}: AD5754 alert bits 0x{connection.LastAlerts:X} in the last heartbeat (thermal / overcurrent)");
        }
        _alice.Forget(block.Id);
        _bob.Forget(block.Id);
        var a = alice.Done!;
        var b = bob.Done!;
        string? problem = null;
        if (a.Pulses != block.Pulses || b.Pulses != block.Pulses) problem = $"pulses done Alice {a.Pulses}, Bob {b.Pulses} of {block.Pulses}";
        else if (a.MissedTriggers + b.MissedTriggers > 0) problem = $"missed triggers: Alice {a.MissedTriggers}, Bob {b.MissedTriggers}";
        else if (b.Overruns > 0) problem = $"{b.Overruns} detections did not fit Bob's record buffer";
        if (problem is not null)
        {
            Discard(block, problem);
            return null;
        }
        var (pulses, codes) = bob.Records();
        var aliceCodes = new byte[pulses.Length];
        var bobBases = new byte[pulses.Length];
        for (var i = 0; i < pulses.Length; i++)
        {
            if (pulses[i] >= block.Pulses) throw new BoardFaultException(_bob.Name, $"detection at pulse {pulses[i]} outside block {block.Id}");
            aliceCodes[i] = (byte)PulseCodes.Get(block.AliceTable, pulses[i], PulseCodes.AliceBitsPerPulse);
            bobBases[i] = (byte)PulseCodes.Get(block.BobTable, pulses[i], PulseCodes.BobBitsPerPulse);
        }
        return new RawBlock { BlockId = block.Id, Pulses = block.Pulses, DetectionPulses = pulses, DetectorCodes = codes, AliceCodes = aliceCodes, BobBases = bobBases };
    }

    /// <summary>
    /// --save-raw: Alice's whole table and Bob's bases and records in the RawData format, for
    /// `qkd postprocess --raw` (each role reads only its own half). Written before the session's own
    /// raw block, so a block the session counts as measured is always in both.
    /// </summary>
    private void SaveHalves(PreparedBlock block, RawBlock raw)
    {
        if (_saveRaw is null) return;
        var states = new byte[block.Pulses];
        for (var i = 0; i < states.Length; i++) states[i] = (byte)PulseCodes.Get(block.AliceTable, i, PulseCodes.AliceBitsPerPulse);
        var indices = new long[raw.DetectionPulses.Length];
        for (var i = 0; i < indices.Length; i++) indices[i] = raw.DetectionPulses[i];
        _saveRaw.WriteAlice(new AliceBlock(block.Id, states));
        _saveRaw.WriteBob(new BobBlock(block.Id, BitVector.FromPackedBytes(block.BobTable, block.Pulses), indices, raw.DetectorCodes));
    }

    private void Discard(PreparedBlock block, string reason)
    {
        _discards.Append(block.Id, reason);
        _alice.Forget(block.Id);
        _bob.Forget(block.Id);
        BlockDiscarded?.Invoke(block.Id, reason);
    }

    private void Process(RawBlock raw)
    {
        var clock = Stopwatch.StartNew();
        var outcome = _postProcessor.Process(raw);
        if (outcome.SecretKeyBits > 0 && outcome.KeysMatch)
        {
            var created = DateTime.UtcNow;
            _keys.Store(new KeyBlockMetadata(_settings.SessionId, raw.BlockId, "alice", outcome.Qber, _settings.Profile, _settings.Epsilon, outcome.AliceKey.Length, created), outcome.AliceKey);
            _keys.Store(new KeyBlockMetadata(_settings.SessionId, raw.BlockId, "bob", outcome.Qber, _settings.Profile, _settings.Epsilon, outcome.BobKey.Length, created), outcome.BobKey);
        }
        _journal.Append(outcome, clock.Elapsed.TotalSeconds);
        _summary.Add(outcome.Pulses, outcome.Detections, outcome.SiftedBits, outcome.SampleBits, outcome.Qber, outcome.RawKeyBits, outcome.SecretKeyBits, outcome.KeysMatch);
        BlockProcessed?.Invoke(outcome);
    }

    private long ProjectedRawKeyBits(RawBlock raw)
    {
        long sifted = 0;
        for (var i = 0; i < raw.DetectorCodes.Length; i++)
        {
            if (raw.DetectorCodes[i] is 1 or 2 && raw.AliceCodes[i] >> 1 == raw.BobBases[i]) sifted++;
        }
        return Math.Max(0, sifted - Math.Max(1, (long)Math.Round(sifted * _settings.SampleFraction)));
    }

    private sealed record PreparedBlock(uint Id, int Pulses, byte[] AliceTable, byte[] BobTable);
}
