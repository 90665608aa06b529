using System.Diagnostics;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.PrivacyAmplification;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Pipeline
{
    /// <summary>
    /// One block through estimation, reconciliation (with per-frame confirmation), finite-key length and
    /// privacy amplification, both parties in one process (recorded or simulated data).
    /// </summary>
    public sealed class BlockPipeline
    {
        private readonly IReconciler _reconciler;
        private readonly PipelineOptions _options;
        private readonly IKeyLengthProfile _profile;
        private readonly ToeplitzHash _toeplitz = new();

        public BlockPipeline(IReconciler reconciler, PipelineOptions? options = null)
        {
            _reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
            _options = options ?? new PipelineOptions();
            _profile = KeyLengthProfiles.Get(_options.Profile);
            if (!(_options.SampleFraction > 0 && _options.SampleFraction < 1))
                throw new ArgumentException($"Sample fraction {_options.SampleFraction} must lie in (0, 1).");
        }

        /// <param name="alice">Alice's sifted bits (Z basis first, <paramref name="zLength"/> of them).</param>
        /// <param name="bob">Bob's sifted bits, aligned.</param>
        /// <param name="sampleSeed">Shared seed choosing the estimation sample.</param>
        /// <param name="toeplitzSeed">Source of the public Toeplitz seed (Alice draws, sends to Bob); default CSPRNG.</param>
        public PipelineReport Run(BitVector alice, BitVector bob, int zLength, ulong sampleSeed, Func<int, BitVector>? toeplitzSeed = null)
        {
            var total = Stopwatch.StartNew();
            TimeSpan cpuAtStart = ProcessCpu(), cpuAfterEstimation, cpuBeforePa;
            int sample = Math.Max(1, (int)Math.Round(alice.Length * _options.SampleFraction));
            var estimate = ParameterEstimation.Estimate(alice, bob, zLength, sample, sampleSeed, _options.Epsilon);
            double estimationMs = total.Elapsed.TotalMilliseconds;
            cpuAfterEstimation = ProcessCpu();

            double decoderQber = Math.Clamp(estimate.Overall.Qber, _options.MinimumDecoderQber, 0.499);
            var reconcileTimer = Stopwatch.StartNew();
            var reconcileCpu = ProcessCpu();
            var reconciled = _reconciler.Reconcile(estimate.AliceKey, estimate.BobKey, decoderQber);
            BitVector bobReconciled = reconciled.ConfirmedOf(estimate.BobKey);
            double reconciliationMs = reconcileTimer.Elapsed.TotalMilliseconds;
            double reconciliationCpuMs = (ProcessCpu() - reconcileCpu).TotalMilliseconds;

            int n = reconciled.Reconciled.Length;
            KeyLengthResult length = n == 0 || estimate.Overall.Qber >= 0.5
                ? new KeyLengthResult(_profile.Name, 0, 0, Array.Empty<KeyValuePair<string, double>>())
                : _profile.Compute(new KeyLengthInput
                {
                    Qber = estimate.Overall.Qber, KeyBits = n, SampleBits = sample, Epsilon = _options.Epsilon,
                    EpsilonCorrect = _options.EpsilonCorrect, SinglePhotonFraction = _options.SinglePhotonFraction,
                    LeakBits = reconciled.LeakBits + reconciled.ConfirmationBits, Xi = _options.Xi,
                });

            var paTimer = Stopwatch.StartNew();
            cpuBeforePa = ProcessCpu();
            int l = (int)Math.Min(length.KeyBits, n);
            BitVector aliceKey = new(0), bobKey = new(0);
            if (l > 0)
            {
                BitVector seed = (toeplitzSeed ?? SecureRandomBits.Bits)(ToeplitzHash.SeedBits(n, l));
                // Both parties' strings in one process: one pass shares the seed's transform (same results as two Hash calls).
                (aliceKey, bobKey) = _toeplitz.HashPair(reconciled.Reconciled, bobReconciled, seed, l);
            }
            double paMs = paTimer.Elapsed.TotalMilliseconds;
            var cpuAtEnd = ProcessCpu();

            return new PipelineReport
            {
                SiftedBits = alice.Length, SampleBits = sample, Qber = estimate.Overall,
                FramesOk = reconciled.FramesOk, FramesFailed = reconciled.FramesFailed,
                ReconciliationLeakBits = reconciled.LeakBits, ConfirmationBits = reconciled.ConfirmationBits,
                Efficiency = reconciled.Efficiency, MeanIterations = reconciled.MeanIterations,
                ReconciledBits = n, KeyLength = length, AliceKey = aliceKey, BobKey = bobKey,
                EstimationMs = estimationMs, ReconciliationMs = reconciliationMs, ReconciliationCpuMs = reconciliationCpuMs, PrivacyAmplificationMs = paMs,
                TotalMs = total.Elapsed.TotalMilliseconds,
                EstimationCpuMs = (cpuAfterEstimation - cpuAtStart).TotalMilliseconds,
                PrivacyAmplificationCpuMs = (cpuAtEnd - cpuBeforePa).TotalMilliseconds,
                TotalCpuMs = (cpuAtEnd - cpuAtStart).TotalMilliseconds,
            };
        }

        /// <summary>CPU time of the whole process, all threads (getrusage: cheap, unlike Process.TotalProcessorTime).</summary>
        private static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;
    }
}
