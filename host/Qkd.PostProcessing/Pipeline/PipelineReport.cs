using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.Pipeline
{
    /// <summary>Every figure of one block, and both parties' final keys (never to be logged).</summary>
    public sealed class PipelineReport
    {
        public required int SiftedBits { get; init; }
        public required int SampleBits { get; init; }
        public required QberEstimate Qber { get; init; }
        public required int FramesOk { get; init; }
        public required int FramesFailed { get; init; }
        public required long ReconciliationLeakBits { get; init; }
        public required long ConfirmationBits { get; init; }
        public required double Efficiency { get; init; }
        public required double MeanIterations { get; init; }
        public required int ReconciledBits { get; init; }
        public required KeyLengthResult KeyLength { get; init; }
        public required BitVector AliceKey { get; init; }
        public required BitVector BobKey { get; init; }
        public required double EstimationMs { get; init; }
        public required double ReconciliationMs { get; init; }
        /// <summary>Wall time of privacy amplification; both parties hash concurrently, as on two machines.</summary>
        public required double PrivacyAmplificationMs { get; init; }

        /// <summary>CPU time of the whole process (all threads) during reconciliation: a figure that a loaded machine does not inflate.</summary>
        public double ReconciliationCpuMs { get; init; }

        /// <summary>Process CPU time (all threads) of estimation, privacy amplification (both parties) and the whole block.</summary>
        public double EstimationCpuMs { get; init; }

        public double PrivacyAmplificationCpuMs { get; init; }

        public double TotalCpuMs { get; init; }

        public required double TotalMs { get; init; }

        public long SecretKeyBits => AliceKey.Length;
        public bool KeysMatch => AliceKey.ContentEquals(BobKey);
    }
}
