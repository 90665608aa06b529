using System.Globalization;

namespace Qkd.Agent.Reports;

/// <summary>
/// eom-trace.csv: the EOM drive voltage over time, `timeNs,eomVolts[,pulse]`, an optional header line
/// (any first line whose first field is not a number).
/// </summary>
public sealed class EomTrace
{
    public const string FileName = "eom-trace.csv";

    private EomTrace(double[] timeNs, double[] volts) => (TimeNs, Volts) = (timeNs, volts);

    public double[] TimeNs { get; }
    public double[] Volts { get; }

    /// <summary>Reads the trace; a bad line throws <see cref="SessionLogException"/> naming it.</summary>
    public static EomTrace Read(string path)
    {
        var times = new List<double>();
        var volts = new List<double>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] fields = line.Split(',');
            bool timeOk = double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double t);
            if (!timeOk && lineNumber == 1) continue; // header
            if (!timeOk || fields.Length is < 2 or > 3 ||
                !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ||
                !double.IsFinite(t) || !double.IsFinite(v))
                throw new SessionLogException(path, lineNumber, "expected timeNs,eomVolts[,pulse] as numbers.");
            times.Add(t);
            volts.Add(v);
        }
        if (times.Count == 0) throw new SessionLogException(path, Math.Max(1, lineNumber), "no samples.");
        return new EomTrace(times.ToArray(), volts.ToArray());
    }

    public bool TimeAscending()
    {
        for (int i = 1; i < TimeNs.Length; i++) if (TimeNs[i] < TimeNs[i - 1]) return false;
        return true;
    }
}
