using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Qkd.Agent.Channel;
using Qkd.Agent.Cli;
using Qkd.Agent.KeySink;
using Qkd.Agent.RawData;
using Qkd.PostProcessing.Authentication;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.TwoParty;

namespace Qkd.Agent.Verbs;

/// <summary>
/// `qkd postprocess --raw DIR --role alice|bob --listen|--peer HOST:PORT --psk FILE --data DIR`: one role
/// of two-party post-processing over authenticated TCP, reading only its own half of the raw data.
/// Exit codes: 0 ok, 2 bad input or unreadable file, 3 authentication refused, 4 protocol abort (QBER,
/// no key, settings differ, peer aborted), 5 channel failure (peer gone, timeout).
/// </summary>
internal sealed class PostprocessVerb : IVerb
{
    public const int ExitAuthentication = 3;
    public const int ExitAborted = 4;
    public const int ExitChannel = 5;

    /// <summary>Minimum pre-shared secret: hash keys and pads for a few hundred messages.</summary>
    public const int MinimumPskBytes = 256;

    /// <summary>Reconcilers registered by name besides <see cref="Reconcilers"/> (tests register theirs).</summary>
    internal static ConcurrentDictionary<string, Func<IReconciler>> ExtraReconcilers { get; } = new();

    public string Group => "";

    public Command Build(CliContext context)
    {
        var raw = new Option<string>("--raw") { Description = "Raw-data directory (session.json, alice/, bob/); only this role's half is read.", Required = true };
        var role = new Option<string>("--role") { Description = "alice or bob.", Required = true };
        var listen = new Option<string?>("--listen") { Description = "Alice: HOST:PORT to listen on." };
        var peer = new Option<string?>("--peer") { Description = "Bob: Alice's HOST:PORT." };
        var psk = new Option<string>("--psk") { Description = $"Pre-shared secret file (at least {MinimumPskBytes} random bytes), used until generated key replaces it.", Required = true };
        var data = new Option<string>("--data") { Description = "Data directory: keys and the authentication pool.", DefaultValueFactory = _ => "qkd-data" };
        var profile = new Option<string>("--profile") { Description = "Finite-key profile (same on both sides).", DefaultValueFactory = _ => "tomamichel-2012" };
        var reconciler = new Option<string>("--reconciler") { Description = $"Reconciler: {string.Join(", ", Reconcilers.Names)}.", DefaultValueFactory = _ => Reconcilers.Default };
        var codes = new Option<string?>("--codes") { Description = $"Directory of the LDPC codes (default ${Reconcilers.CodesEnvironmentVariable} or ./codes)." };
        var sample = new Option<double>("--sample-fraction") { Description = "Fraction of sifted bits disclosed for estimation.", DefaultValueFactory = _ => 0.1 };
        var maxQber = new Option<double>("--max-qber") { Description = "Abort above this QBER.", DefaultValueFactory = _ => 0.11 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the peer (connect, each message).", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Last line: one JSON summary." };
        var command = new Command("postprocess", "Two-party post-processing of saved raw data over authenticated TCP (one role per process).");
        foreach (Option o in new Option[] { raw, role, listen, peer, psk, data, profile, reconciler, codes, sample, maxQber, timeout, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var settings = new Settings(
                parse.GetValue(raw)!, parse.GetValue(role)!, parse.GetValue(listen), parse.GetValue(peer), parse.GetValue(psk)!,
                parse.GetValue(data)!, parse.GetValue(profile)!, parse.GetValue(reconciler)!, parse.GetValue(codes),
                parse.GetValue(sample), parse.GetValue(maxQber), parse.GetValue(timeout), parse.GetValue(json));
            return Run(settings, context);
        });
        return command;
    }

    private sealed record Settings(string Raw, string Role, string? Listen, string? Peer, string Psk, string Data, string Profile,
        string Reconciler, string? Codes, double SampleFraction, double MaxQber, double TimeoutSeconds, bool Json);

    private static int Run(Settings s, CliContext context)
    {
        string prefix = $"qkd postprocess ({s.Role})";
        Prepared prepared;
        try
        {
            prepared = Prepare(s);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            context.Error.WriteLine($"{prefix}: {e.Message}");
            return QkdCli.ExitBadInput;
        }

        var summary = new Summary();
        var watch = Stopwatch.StartNew();
        try
        {
            MarkPoolInUse(prepared);
            RunSessionAsync(s, prepared, summary, context).GetAwaiter().GetResult();
        }
        catch (AuthenticationException e)
        {
            context.Error.WriteLine($"{prefix}: authentication failed: {e.Message}. Nothing more is stored; if the pre-shared keys differ, give both sides the same fresh --psk and delete {prepared.PoolPath}.");
            return ExitAuthentication;
        }
        catch (TwoPartyAbortException e)
        {
            context.Error.WriteLine($"{prefix}: aborted: {e.Message}");
            return ExitAborted;
        }
        catch (RawDataException e)
        {
            context.Error.WriteLine($"{prefix}: {e.Message}");
            return QkdCli.ExitBadInput;
        }
        catch (NotSupportedException e)
        {
            context.Error.WriteLine($"{prefix}: {e.Message}");
            return QkdCli.ExitBadInput;
        }
        catch (IOException e)
        {
            context.Error.WriteLine($"{prefix}: classical channel failed: {e.Message} (the peer may have refused our authentication or aborted)");
            return ExitChannel;
        }
        finally
        {
            SavePool(prepared);
            File.Delete(prepared.PoolPath + ".in-use");
            (prepared.Sink as IDisposable)?.Dispose();
        }
        summary.Seconds = watch.Elapsed.TotalSeconds;
        summary.AuthKeyBitsUsed = prepared.Keys.ConsumedBits;
        summary.AuthKeyBitsAvailable = prepared.Keys.AvailableBits;
        context.Out.WriteLine(s.Json ? summary.ToJson(s.Role, prepared.Raw.Session.SessionId, prepared.KeySource) : summary.ToText(s.Role));
        return 0;
    }

    private sealed record Prepared(RawDataDirectory Raw, long[] Blocks, AuthenticationKeys Keys, string KeySource, string PoolPath,
        IReconciler Reconciler, TwoPartyOptions Options, bool IsAlice, (string Host, int Port) Endpoint, IKeySink Sink);

    private static Prepared Prepare(Settings s)
    {
        bool isAlice = s.Role switch
        {
            "alice" => true,
            "bob" => false,
            _ => throw new ArgumentException($"--role must be alice or bob, not '{s.Role}'"),
        };
        string? endpointText = isAlice ? s.Listen : s.Peer;
        if (endpointText is null) throw new ArgumentException(isAlice ? "--role alice needs --listen HOST:PORT" : "--role bob needs --peer HOST:PORT");
        if (isAlice ? s.Peer is not null : s.Listen is not null) throw new ArgumentException("give --listen for alice and --peer for bob, not both");
        var endpoint = TcpClassicalChannel.ParseEndpoint(endpointText);
        if (!(s.TimeoutSeconds > 0 && s.TimeoutSeconds <= 3600)) throw new ArgumentException($"--timeout must be in (0, 3600] seconds, not {s.TimeoutSeconds}");

        var raw = RawDataDirectory.Open(s.Raw);
        long[] blocks = raw.BlockNumbers(s.Role);
        if (blocks.Length == 0) throw new ArgumentException($"no block files in {Path.Combine(s.Raw, s.Role)}");

        var options = new TwoPartyOptions
        {
            Profile = s.Profile, SampleFraction = s.SampleFraction, MaxQber = s.MaxQber,
            SessionId = raw.Session.SessionId, BlockCount = blocks.Length,
        };
        options.Validate();
        IReconciler reconciler = ExtraReconcilers.TryGetValue(s.Reconciler, out var factory)
            ? factory()
            : Reconcilers.Create(s.Reconciler, s.Codes);

        string poolPath = Path.Combine(s.Data, "auth", $"pool-{s.Role}.bin");
        if (File.Exists(poolPath + ".in-use"))
            throw new IOException($"a previous {s.Role} session using {poolPath} did not end cleanly, so which authentication bits it consumed is unknown; " +
                "refusing to risk reusing them: give both sides a fresh --psk and delete both sides' auth/ folders");
        AuthenticationKeys keys;
        string source;
        if (File.Exists(poolPath))
        {
            keys = AuthenticationKeys.ImportRemaining(File.ReadAllBytes(poolPath));
            source = "pool";
        }
        else
        {
            byte[] secret = File.ReadAllBytes(s.Psk);
            if (secret.Length < MinimumPskBytes) throw new ArgumentException($"--psk file '{s.Psk}' has {secret.Length} bytes; at least {MinimumPskBytes} are needed");
            keys = AuthenticationKeys.FromSharedSecret(secret);
            Array.Clear(secret);
            source = "psk";
        }
        return new Prepared(raw, blocks, keys, source, poolPath, reconciler, options, isAlice, endpoint, new KeyStoreSink(s.Data));
    }

    private static async Task RunSessionAsync(Settings s, Prepared p, Summary summary, CliContext context)
    {
        var timeout = TimeSpan.FromSeconds(s.TimeoutSeconds);
        TcpClassicalChannel tcp;
        if (p.IsAlice)
        {
            var listener = new TcpListener(ResolveListenAddress(p.Endpoint.Host), p.Endpoint.Port);
            listener.Start();
            try
            {
                tcp = await TcpClassicalChannel.AcceptAsync(listener, timeout).ConfigureAwait(false);
            }
            finally
            {
                listener.Stop();
            }
        }
        else
        {
            tcp = await TcpClassicalChannel.ConnectAsync(p.Endpoint.Host, p.Endpoint.Port, timeout).ConfigureAwait(false);
        }

        using (tcp)
        {
            var channel = new AuthenticatedChannel(tcp, p.Keys, p.IsAlice);
            if (p.IsAlice)
            {
                var alice = new AlicePostProcessor(channel, p.Reconciler, p.Options);
                await alice.HelloAsync().ConfigureAwait(false);
                foreach (long block in p.Blocks)
                {
                    var input = await ReadOrAbortAsync(() => p.Raw.ReadAlice(block), alice, s.Role).ConfigureAwait(false);
                    Record(s, p, summary, await alice.ProcessBlockAsync(input).ConfigureAwait(false), context);
                }
            }
            else
            {
                var bob = new BobPostProcessor(channel, p.Reconciler, p.Options);
                await bob.HelloAsync().ConfigureAwait(false);
                foreach (long block in p.Blocks)
                {
                    var input = await ReadOrAbortAsync(() => p.Raw.ReadBob(block), bob, s.Role).ConfigureAwait(false);
                    Record(s, p, summary, await bob.ProcessBlockAsync(input).ConfigureAwait(false), context);
                }
            }
        }
    }

    /// <summary>Reads this side's next block; if the file is bad, the peer is told before the error surfaces.</summary>
    private static async Task<T> ReadOrAbortAsync<T>(Func<T> read, TwoPartyPostProcessor processor, string role)
    {
        try
        {
            return read();
        }
        catch (RawDataException e)
        {
            await processor.SendAbortAsync($"{role}'s raw data is unreadable ({e.Message})").ConfigureAwait(false);
            throw;
        }
    }

    private static IPAddress ResolveListenAddress(string host)
    {
        if (IPAddress.TryParse(host, out var address)) return address;
        if (host is "*" or "") return IPAddress.Any;
        return Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"cannot resolve '{host}'");
    }

    private static void Record(Settings s, Prepared p, Summary summary, TwoPartyBlockReport report, CliContext context)
    {
        p.Sink.Store(new KeyBlockMetadata(p.Raw.Session.SessionId, report.BlockNumber, s.Role, report.Qber.Qber, report.KeyLength.Profile,
            p.Options.Epsilon, report.SecretKeyBits, DateTime.UtcNow), report.Key);
        Array.Clear(report.Key.Words);
        summary.Add(report);
        SavePool(p);
        if (!s.Json)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"block {report.BlockNumber}: {report.SiftedBits} sifted, QBER {report.Qber.Qber:P2}, {report.SecretKeyBits} secret bits"));
    }

    /// <summary>
    /// A marker that lives while the session may consume pool bits: a crash leaves it behind, and the next
    /// run refuses instead of handing out bits the crashed run may already have used.
    /// </summary>
    private static void MarkPoolInUse(Prepared p)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(p.PoolPath)!);
        using var marker = new FileStream(p.PoolPath + ".in-use", FileMode.CreateNew, FileAccess.Write, FileShare.None);
        marker.Flush(flushToDisk: true);
    }

    /// <summary>Keeps the unused authentication bits for the next session (consumed ones are gone for good).</summary>
    private static void SavePool(Prepared p)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(p.PoolPath)!);
        byte[] bytes = p.Keys.ExportRemaining();
        string temporary = p.PoolPath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        Array.Clear(bytes);
        File.Move(temporary, p.PoolPath, overwrite: true);
    }

    private sealed class Summary
    {
        public int Blocks;
        public long Pulses, Detections, SiftedBits, SampleBits, Errors, ReconciledBits, SecretKeyBits, AuthReserved, FramesFailed, LeakBits;
        public long AuthKeyBitsUsed, AuthKeyBitsAvailable;
        public double Seconds;

        public void Add(TwoPartyBlockReport r)
        {
            Blocks++;
            Pulses += r.Pulses;
            Detections += r.Detections;
            SiftedBits += r.SiftedBits;
            SampleBits += r.SampleBits;
            Errors += r.Qber.Errors;
            ReconciledBits += r.ReconciledBits;
            SecretKeyBits += r.SecretKeyBits;
            AuthReserved += r.AuthenticationReservedBits;
            FramesFailed += r.FramesFailed;
            LeakBits += r.ReconciliationLeakBits + r.ConfirmationBits;
        }

        private double Qber => SampleBits == 0 ? double.NaN : (double)Errors / SampleBits;

        public string ToJson(string role, string session, string keySource)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{{\"role\":\"{role}\",\"session\":\"{session}\",\"blocks\":{Blocks},\"pulses\":{Pulses},\"detections\":{Detections},")
              .Append(CultureInfo.InvariantCulture, $"\"siftedBits\":{SiftedBits},\"sampleBits\":{SampleBits},\"qber\":{Number(Qber)},\"reconciledBits\":{ReconciledBits},")
              .Append(CultureInfo.InvariantCulture, $"\"framesFailed\":{FramesFailed},\"leakBits\":{LeakBits},\"secretKeyBits\":{SecretKeyBits},")
              .Append(CultureInfo.InvariantCulture, $"\"authKeySource\":\"{keySource}\",\"authKeyBitsUsed\":{AuthKeyBitsUsed},\"authKeyBitsReserved\":{AuthReserved},")
              .Append(CultureInfo.InvariantCulture, $"\"authKeyBitsAvailable\":{AuthKeyBitsAvailable},\"seconds\":{Number(Seconds)}}}");
            return sb.ToString();
        }

        public string ToText(string role) => string.Create(CultureInfo.InvariantCulture,
            $"{role}: {Blocks} blocks, {SiftedBits} sifted bits, QBER {Qber:P2}, {SecretKeyBits} secret key bits stored, {AuthKeyBitsUsed} authentication bits used ({AuthReserved} reserved from generated key), {Seconds:0.00} s");

        private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
    }
}
