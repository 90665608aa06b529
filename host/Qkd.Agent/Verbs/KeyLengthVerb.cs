using System.CommandLine;
using System.Globalization;
using System.Text;
using Qkd.Agent.Cli;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.Agent.Verbs;

/// <summary>`qkd keylength`: finite-key secret length for a named profile, as one JSON line.</summary>
internal sealed class KeyLengthVerb : IVerb
{
    public string Group => "";

    public Command Build(CliContext context)
    {
        var profile = new Option<string>("--profile") { Description = $"Profile: {string.Join(", ", KeyLengthProfiles.Names)}.", Required = true };
        var qber = new Option<double>("--qber") { Description = "Measured QBER (0 <= Q < 0.5).", Required = true };
        var n = new Option<long>("--n") { Description = "Raw key bits n (estimation sample removed).", Required = true };
        var m = new Option<long>("--m") { Description = "Estimation sample bits m.", Required = true };
        var eps = new Option<double>("--eps") { Description = "Security parameter eps in (0,1).", DefaultValueFactory = _ => 1e-10 };
        var a = new Option<double>("--a") { Description = "Single-photon fraction A in (0,1].", DefaultValueFactory = _ => 1.0 };
        var codeRate = new Option<double?>("--code-rate") { Description = "Fixed code rate R_c: leak = (1-R_c) n." };
        var leak = new Option<double?>("--leak") { Description = "Bits disclosed by reconciliation (instead of --code-rate)." };
        var xi = new Option<string>("--xi") { Description = "hbn-2023 xi convention: half (literal) or full.", DefaultValueFactory = _ => "half" };
        var epsCor = new Option<double>("--eps-cor") { Description = "Correctness parameter.", DefaultValueFactory = _ => 1e-15 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line." };

        var command = new Command("keylength", "Finite-key secret key length (hbn-2023, tomamichel-2012, qd-2024).");
        foreach (Option o in new Option[] { profile, qber, n, m, eps, a, codeRate, leak, xi, epsCor, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                string xiText = parse.GetValue(xi)!;
                XiConvention convention = xiText.ToLowerInvariant() switch
                {
                    "half" => XiConvention.Half,
                    "full" => XiConvention.Full,
                    _ => throw new ArgumentException($"--xi must be half or full, not '{xiText}'."),
                };
                var input = new KeyLengthInput
                {
                    Qber = parse.GetValue(qber), KeyBits = parse.GetValue(n), SampleBits = parse.GetValue(m),
                    Epsilon = parse.GetValue(eps), SinglePhotonFraction = parse.GetValue(a),
                    CodeRate = parse.GetValue(codeRate), LeakBits = parse.GetValue(leak), Xi = convention,
                    EpsilonCorrect = parse.GetValue(epsCor),
                };
                var result = KeyLengthProfiles.Get(parse.GetValue(profile)!).Compute(input);
                context.Out.WriteLine(parse.GetValue(json) ? ToJson(result) : ToText(result));
                return 0;
            }
            catch (ArgumentException ex)
            {
                context.Error.WriteLine($"qkd keylength: {ex.Message}");
                return QkdCli.ExitBadInput;
            }
        });
        return command;
    }

    private static string ToJson(KeyLengthResult r)
    {
        var sb = new StringBuilder();
        sb.Append("{\"profile\":\"").Append(r.Profile).Append("\",\"keyBits\":").Append(r.KeyBits.ToString(CultureInfo.InvariantCulture))
          .Append(",\"rate\":").Append(Number(r.Rate));
        foreach (var t in r.Terms) sb.Append(",\"").Append(t.Key).Append("\":").Append(Number(t.Value));
        return sb.Append('}').ToString();
    }

    private static string ToText(KeyLengthResult r)
    {
        var sb = new StringBuilder();
        sb.Append(r.Profile).Append(": ").Append(r.KeyBits.ToString(CultureInfo.InvariantCulture)).Append(" secret bits, rate ").Append(Number(r.Rate));
        foreach (var t in r.Terms) sb.Append(", ").Append(t.Key).Append(' ').Append(Number(t.Value));
        return sb.ToString();
    }

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
}
