using System.Globalization;
using System.Text;
using Qkd.Agent.Boards;
using Qkd.Agent.Reports;
using Qkd.Agent.Verbs;
using Qkd.Simulation.Emulation;

namespace Qkd.Agent.Sessions;

/// <summary>
/// The EOM drive trace of an emulated session for `qkd report`: the firmware's bench routine on Alice's
/// emulated board at the session's pulse rate, every ordered channel transition, the EOM voltage sampled
/// from each trigger (DIR/eom-trace.csv: timeNs,eomVolts,pulse). The measured windows are laid back to
/// back, so the trace reads as the drive of consecutive pulses (the routine's idle holds between them left
/// out). Voltages only: no table or key bits.
/// </summary>
public static class EomDriveTrace
{
    public static void Write(string aliceBoardFile, string directory, uint rateHz = 500_000)
    {
        var board = BoardFile.Load(aliceBoardFile);
        var result = BenchBoard.Run(BoardConfiguration.BenchSpec(board), rateHz);
        var text = new StringBuilder("timeNs,eomVolts,pulse\n");
        long timeNs = 0;
        for (var pulse = 0; pulse < result.Measured.Count; pulse++)
        {
            var transition = result.Measured[pulse];
            for (var i = 0; i < transition.EomVolts.Length; i++, timeNs += result.SampleNs)
            {
                text.Append(timeNs.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(transition.EomVolts[i].ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                    .Append(pulse.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(directory, EomTrace.FileName), text.ToString());
    }
}
