using System.Globalization;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// One block as both parties see it: every figure is computed identically on both sides (so
    /// <see cref="Figures"/> matches), plus this side's secret key (never to be logged).
    /// </summary>
    public sealed class TwoPartyBlockReport
    {
        public required long BlockNumber { get; init; }
        public required int Pulses { get; init; }
        public required int Detections { get; init; }
        public required int DoubleClicks { get; init; }
        public required int EmptyRecords { get; init; }
        public required int BasisMismatches { get; init; }
        public required int SiftedBits { get; init; }
        public required int SampleBits { get; init; }
        public required QberEstimate Qber { get; init; }
        public required QberEstimate QberZ { get; init; }
        public required QberEstimate QberX { get; init; }
        public required int FramesOk { get; init; }
        public required int FramesFailed { get; init; }
        public required long ReconciliationLeakBits { get; init; }

        /// <summary>Per-frame confirmation tags of the reconciler plus the 64-bit block confirmation.</summary>
        public required long ConfirmationBits { get; init; }

        public required double Efficiency { get; init; }
        public required int ReconciledBits { get; init; }
        public required KeyLengthResult KeyLength { get; init; }

        /// <summary>Output bits of privacy amplification (before the authentication reserve).</summary>
        public required int FinalKeyBits { get; init; }

        /// <summary>Final-key bits moved into the authentication pools.</summary>
        public required int AuthenticationReservedBits { get; init; }

        /// <summary>Authentication key bits consumed by this block's messages (both directions).</summary>
        public required long AuthenticationBitsUsed { get; init; }

        /// <summary>This side's secret key for the store (final key minus the reserve).</summary>
        public required BitVector Key { get; init; }

        public int SecretKeyBits => Key.Length;

        /// <summary>Every figure by name, in a fixed order; identical on both sides. Never holds key bits.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Figures() =>
        [
            new("block", I(BlockNumber)), new("pulses", I(Pulses)), new("detections", I(Detections)),
            new("doubleClicks", I(DoubleClicks)), new("emptyRecords", I(EmptyRecords)), new("basisMismatches", I(BasisMismatches)),
            new("siftedBits", I(SiftedBits)), new("sampleBits", I(SampleBits)),
            new("qber", D(Qber.Qber)), new("qberErrors", I(Qber.Errors)), new("qberZ", D(QberZ.Qber)), new("qberX", D(QberX.Qber)),
            new("framesOk", I(FramesOk)), new("framesFailed", I(FramesFailed)),
            new("leakBits", I(ReconciliationLeakBits)), new("confirmationBits", I(ConfirmationBits)), new("efficiency", D(Efficiency)),
            new("reconciledBits", I(ReconciledBits)), new("profile", KeyLength.Profile), new("keyLengthBits", I(KeyLength.KeyBits)),
            new("finalKeyBits", I(FinalKeyBits)), new("authReservedBits", I(AuthenticationReservedBits)),
            new("authKeyBitsUsed", I(AuthenticationBitsUsed)), new("secretKeyBits", I(SecretKeyBits)),
        ];

        private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        private static string D(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
    }
}
