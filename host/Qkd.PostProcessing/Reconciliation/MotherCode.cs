using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Reconciliation;

/// <summary>
/// A mother code for rate-adaptive reconciliation (D. Elkouss, J. Martinez-Mateo, D. Lancho, V. Martin,
/// "Rate compatible protocol for information reconciliation: an application to QKD", ITW 2010): of its N
/// columns, d are modulation positions that are either punctured (random bits, unknown to Alice) or
/// shortened (known to both), the other N - d carry the frame. With p punctured and s = d - p shortened the
/// rate is R = (N - m - s) / (N - d), and the leak is m - p bits.
/// </summary>
public sealed class MotherCode
{
    /// <summary>A quasi-cyclic mother code: decoded block row by block row (<see cref="QuasiCyclicMinSumDecoder"/>).</summary>
    public MotherCode(QuasiCyclicCode code, int modulationBits, ulong seed = 1)
        : this((code ?? throw new ArgumentNullException(nameof(code))).ToMatrix(), modulationBits, seed)
    {
        QuasiCyclic = code;
    }

    public MotherCode(SparseParityCheckMatrix matrix, int modulationBits, ulong seed = 1)
    {
        if (modulationBits < 0 || modulationBits >= matrix.Columns - matrix.Rows)
            throw new ArgumentOutOfRangeException(nameof(modulationBits), "modulation bits must be in 0 .. N - m - 1");
        Matrix = matrix;
        ModulationPositions = ChoosePuncturingOrder(matrix, modulationBits, seed);
        var isModulation = new bool[matrix.Columns];
        foreach (var c in ModulationPositions) isModulation[c] = true;
        FramePositions = Enumerable.Range(0, matrix.Columns).Where(c => !isModulation[c]).ToArray();
        RevealOrder = (int[])FramePositions.Clone();
        new Random((int)(seed & 0x7FFFFFFF) + 1).Shuffle(RevealOrder);
    }

    /// <summary>Frame columns in the order a blind round reveals them once no punctured bit is left.</summary>
    public int[] RevealOrder { get; }

    public SparseParityCheckMatrix Matrix { get; }

    /// <summary>The circulant structure of <see cref="Matrix"/> when the code is quasi-cyclic, else null.</summary>
    public QuasiCyclicCode? QuasiCyclic { get; }

    /// <summary>The d modulation columns in puncturing preference: the first p are punctured, the rest shortened.</summary>
    public int[] ModulationPositions { get; }

    /// <summary>Columns carrying frame bit 0, 1, ... (ascending).</summary>
    public int[] FramePositions { get; }

    public int FrameBits => FramePositions.Length;

    public int ModulationBits => ModulationPositions.Length;

    /// <summary>Lowest rate (all modulation bits shortened).</summary>
    public double MinRate => (double)(Matrix.Columns - Matrix.Rows - ModulationBits) / FrameBits;

    /// <summary>Highest rate (all modulation bits punctured).</summary>
    public double MaxRate => (double)(Matrix.Columns - Matrix.Rows) / FrameBits;

    /// <summary>Punctured bits that give rate <paramref name="rate"/>, clamped to 0..d.</summary>
    public int PuncturedFor(double rate)
    {
        var shortened = (int)Math.Round(Matrix.Columns - Matrix.Rows - rate * FrameBits);
        return ModulationBits - Math.Clamp(shortened, 0, ModulationBits);
    }

    /// <summary>
    /// H x into <paramref name="syndrome"/> (Rows packed bits). For a quasi-cyclic code with Z = 32 each circulant
    /// is one 32-bit rotation of its block column's bits XORed into its block row's word (bit r of the row word is
    /// check iZ + r, which sees variable jZ + (r + s) mod Z); otherwise the generic sparse product.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Syndrome(ReadOnlySpan<ulong> word, Span<ulong> syndrome)
    {
        var qc = QuasiCyclic;
        if (qc is null || qc.LiftingSize != 32)
        {
            Matrix.Syndrome(word, syndrome);
            return;
        }
        syndrome[..SparseParityCheckMatrix.WordsFor(Matrix.Rows)].Clear();
        for (var i = 0; i < qc.BaseRows; i++)
        {
            var columns = qc.ColumnsOfBaseRow(i);
            var shifts = qc.ShiftsOfBaseRow(i);
            uint parity = 0;
            for (var k = 0; k < columns.Length; k++)
            {
                var j = columns[k];
                var bits = (uint)(word[j >> 1] >> ((j & 1) * 32));
                parity ^= System.Numerics.BitOperations.RotateRight(bits, shifts[k]);
            }
            syndrome[i >> 1] |= (ulong)parity << ((i & 1) * 32);
        }
    }

    /// <summary>
    /// Untainted puncturing first (Elkouss, Martinez-Mateo, Martin, IEEE WCL 1(6), 2012): a column is taken
    /// only if none of its checks already touches a punctured column, so every punctured bit keeps checks
    /// whose other bits are all known and is recovered in the first iteration. When no untainted column is left,
    /// one-step recoverable columns (Ha, McLaughlin, IEEE Trans. IT 50(11), 2004) follow: a column with a check that
    /// no punctured column touches yet (it recovers the new column in the first iteration), taken only if every
    /// punctured column keeps at least one check on which it is the only punctured one. The rest follow in seeded
    /// random order. (The long codes at 1-2 % QBER puncture more bits than they have untainted columns.)
    /// </summary>
    private static int[] ChoosePuncturingOrder(SparseParityCheckMatrix matrix, int count, ulong seed)
    {
        var order = Enumerable.Range(0, matrix.Columns).ToArray();
        new Random((int)(seed & 0x7FFFFFFF)).Shuffle(order);
        var puncturedOnCheck = new int[matrix.Rows];
        var soleOwner = new int[matrix.Rows]; // the punctured column of a check with exactly one
        var recoveringChecks = new int[matrix.Columns]; // checks on which the punctured column is the only punctured one
        var taken = new bool[matrix.Columns];
        var chosen = new List<int>(count);

        void Take(int column)
        {
            foreach (var check in matrix.RowsOfColumn(column))
            {
                if (puncturedOnCheck[check] == 1) recoveringChecks[soleOwner[check]]--;
                else if (puncturedOnCheck[check] == 0)
                {
                    soleOwner[check] = column;
                    recoveringChecks[column]++;
                }
                puncturedOnCheck[check]++;
            }
            chosen.Add(column);
            taken[column] = true;
        }

        foreach (var column in order)
        {
            if (chosen.Count == count) break;
            if (IsUntainted(matrix, column, puncturedOnCheck)) Take(column);
        }
        var losses = new Dictionary<int, int>();
        foreach (var column in order)
        {
            if (chosen.Count == count) break;
            if (!taken[column] && IsOneStepRecoverable(matrix, column, puncturedOnCheck, soleOwner, recoveringChecks, losses)) Take(column);
        }
        foreach (var column in order)
        {
            if (chosen.Count == count) break;
            if (!taken[column]) Take(column);
        }
        return chosen.ToArray();
    }

    private static bool IsUntainted(SparseParityCheckMatrix matrix, int column, int[] puncturedOnCheck)
    {
        foreach (var check in matrix.RowsOfColumn(column))
            if (puncturedOnCheck[check] != 0) return false;
        return true;
    }

    /// <summary>The column has a check free of punctured columns, and puncturing it leaves every punctured column a recovering check.</summary>
    private static bool IsOneStepRecoverable(SparseParityCheckMatrix matrix, int column, int[] puncturedOnCheck, int[] soleOwner,
        int[] recoveringChecks, Dictionary<int, int> losses)
    {
        var free = false;
        losses.Clear();
        foreach (var check in matrix.RowsOfColumn(column))
        {
            if (puncturedOnCheck[check] == 0) free = true;
            else if (puncturedOnCheck[check] == 1)
            {
                var owner = soleOwner[check];
                var lost = losses.GetValueOrDefault(owner) + 1;
                if (lost >= recoveringChecks[owner]) return false;
                losses[owner] = lost;
            }
        }
        return free;
    }
}
