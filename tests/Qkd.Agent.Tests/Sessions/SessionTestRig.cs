using Qkd.Agent.KeySink;
using Qkd.Agent.Boards;
using Qkd.Agent.Sessions;
using Qkd.PostProcessing.TwoParty;
using Qkd.PostProcessing.Reconciliation;
using Qkd.Simulation.Emulation;
using Qkd.Wire.Link;

namespace Qkd.Agent.Tests.Sessions;

/// <summary>Two emulated boards (repository board files) with the ideal-channel optics, and a session over them in a temporary directory.</summary>
internal sealed class SessionTestRig : IDisposable
{
    public const double DetectionProbability = 0.5;

    public SessionTestRig(int blockPulses = 100_000, string aliceEndpoint = "emulated", string bobEndpoint = "emulated", string? directory = null,
        LinkOptions? link = null, double errorProbability = 0.01)
    {
        ErrorProbability = errorProbability;
        BlockPulses = blockPulses;
        _ownsDirectory = directory is null;
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("qkd-session-").FullName;
        AliceBoard = BoardFile.Load(Path.Combine(RepoRoot, "boards", "alice-esp32.json"));
        BobBoard = BoardFile.Load(Path.Combine(RepoRoot, "boards", "bob-esp32.json"));
        Boards = BoardSet.Open(aliceEndpoint, bobEndpoint, AliceBoard, BobBoard, blockPulses,
            () => Optics = new GatedOptics(new IdealChannelOptics(DetectionProbability, errorProbability, 0.01)), 7, link ?? TestLink());
        Boards.Alice.Timeout = Boards.Bob.Timeout = TimeSpan.FromSeconds(5);
    }

    public static LinkOptions TestLink() => new()
    {
        MaxPayloadBytes = 2048, SendWindow = 8, ReceiveCapacity = 8, RetransmitTimeoutMs = 100, MaxRetransmits = 10, NackHoldoffMs = 10,
    };

    private readonly bool _ownsDirectory;

    public double ErrorProbability { get; }

    /// <summary>The optics behind the bench; <see cref="GatedOptics.BeforeBlock"/> injects faults mid-block.</summary>
    public GatedOptics Optics { get; private set; } = null!;
    public int BlockPulses { get; }
    public string Directory { get; }
    public BoardFile AliceBoard { get; }
    public BoardFile BobBoard { get; }
    public BoardSet Boards { get; }
    public List<uint> Discarded { get; } = [];

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "QkdEmbedded.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("repository root not found");
        }
    }

    /// <summary>
    /// A session over the boards. The fixed rate-0.5 code decodes every frame at these QBERs (the adaptive
    /// reconciler fails frames even at QBER 0: see the report) and the qd-2024 profile leaves key at 10^4 bits.
    /// </summary>
    public SessionRunner Runner(int blocks, IRandomSource? rng = null, int? crashAfter = null, string reconciler = "paper", string profile = "qd-2024",
        Qkd.Agent.RawData.RawDataDirectory? saveRaw = null)
    {
        var runner = new SessionRunner(Boards.Alice, Boards.Bob, AliceBoard, BobBoard, rng ?? new SeededRandomSource(11), new HealthTests(),
            new BlockPostProcessor(Reconcilers.Create(reconciler), Reconcilers.Create(reconciler), new TwoPartyOptions { Profile = profile }),
            new FileRawBlockSink(Path.Combine(Directory, "raw")), KeyStores,
            new BlockJournal(Path.Combine(Directory, "blocks.jsonl")), new DiscardLog(Path.Combine(Directory, "discarded.jsonl")),
            new SessionSettings { Blocks = blocks, BlockPulses = BlockPulses, BlockTimeout = TimeSpan.FromSeconds(10), CrashAfterRawBlocks = crashAfter }, saveRaw);
        runner.BlockDiscarded += (id, _) => Discarded.Add(id);
        return runner;
    }

    public List<JournalLine> Journal() => new BlockJournal(Path.Combine(Directory, "blocks.jsonl")).Read();

    private PartyKeyStores? _keyStores;

    /// <summary>Alice's and Bob's SQLite key stores under the session directory (alice/, bob/).</summary>
    public PartyKeyStores KeyStores => _keyStores ??= new PartyKeyStores(Directory);

    public void Dispose()
    {
        _keyStores?.Dispose();
        Boards.Dispose();
        if (_ownsDirectory) DeleteDirectory(Directory);
    }

    public static void DeleteDirectory(string directory)
    {
        try { System.IO.Directory.Delete(directory, true); } catch (IOException) { }
    }
}

/// <summary>Optics that call a test's hook before simulating a block (1-based count), then pass through.</summary>
internal sealed class GatedOptics(Qkd.Simulation.Physics.IBlockOptics inner) : Qkd.Simulation.Physics.IBlockOptics
{
    private int _blocks;

    public Action<int>? BeforeBlock { get; set; }

    public void SetEomVoltages(ReadOnlySpan<double> aliceChannelVolts, ReadOnlySpan<double> bobChannelVolts) =>
        inner.SetEomVoltages(aliceChannelVolts, bobChannelVolts);

    public void SimulateBlock(int pulseCount, Func<int, int> aliceCode, Func<int, int> bobBasis, ulong blockSeed, Qkd.Simulation.Physics.DetectionSink sink)
    {
        BeforeBlock?.Invoke(Interlocked.Increment(ref _blocks));
        inner.SimulateBlock(pulseCount, aliceCode, bobBasis, blockSeed, sink);
    }
}
