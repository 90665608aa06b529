using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Sifting
{
    /// <summary>Sifted bits of one block, per basis, with the counts a report needs.</summary>
    public sealed class SiftResult
    {
        internal SiftResult(BasisBits z, BasisBits x, int detections, int doubleClicks, int emptyRecords, int basisMismatches)
        {
            Z = z;
            X = x;
            Detections = detections;
            DoubleClicks = doubleClicks;
            EmptyRecords = emptyRecords;
            BasisMismatches = basisMismatches;
        }

        /// <summary>Basis 0 (H/V).</summary>
        public BasisBits Z { get; }

        /// <summary>Basis 1 (R/L).</summary>
        public BasisBits X { get; }

        /// <summary>All detection records received.</summary>
        public int Detections { get; }

        /// <summary>Both APDs clicked: excluded from the key, counted (a sign of multi-photon pulses or attacks).</summary>
        public int DoubleClicks { get; }

        /// <summary>Records with no click (code 0): excluded, counted.</summary>
        public int EmptyRecords { get; }

        /// <summary>Single clicks where Bob's basis differed from Alice's.</summary>
        public int BasisMismatches { get; }

        public int SiftedBits => Z.Alice.Length + X.Alice.Length;
    }

    /// <summary>Alice's and Bob's sifted bits of one basis, aligned, and the pulses they came from.</summary>
    public sealed class BasisBits
    {
        internal BasisBits(BitVector alice, BitVector bob, long[] pulses)
        {
            Alice = alice;
            Bob = bob;
            Pulses = pulses;
        }

        public BitVector Alice { get; }
        public BitVector Bob { get; }
        public long[] Pulses { get; }
    }
}
