using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.FiniteKey;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// What Alice's and Bob's post-processors share: the hello, the estimation arithmetic, the key
    /// length, the authentication reserve. The protocol, message by message, is in README.md.
    /// </summary>
    public abstract class TwoPartyPostProcessor
    {
        private protected TwoPartyPostProcessor(AuthenticatedChannel channel, IReconciler reconciler, TwoPartyOptions options)
        {
            Channel = channel ?? throw new ArgumentNullException(nameof(channel));
            Reconciler = reconciler ?? throw new ArgumentNullException(nameof(reconciler));
            Options = options ?? throw new ArgumentNullException(nameof(options));
            Options.Validate();
            Profile = KeyLengthProfiles.Get(Options.Profile);
        }

        public AuthenticatedChannel Channel { get; }
        public IReconciler Reconciler { get; }
        public TwoPartyOptions Options { get; }
        private protected IKeyLengthProfile Profile { get; }
        private protected bool HelloDone { get; set; }

        /// <summary>Authentication key bits consumed so far (both directions, including the hello).</summary>
        public long AuthenticationBitsUsed => Channel.Keys.ConsumedBits;

        private protected byte[] HelloMessage()
        {
            var writer = new MessageWriter(MessageType.Hello);
            var settings = Options.Settings(Reconciler.Name);
            writer.Int32(settings.Count);
            foreach (var s in settings) writer.Text(s.Key).Text(s.Value);
            return writer.ToArray();
        }

        /// <summary>Null when the peer's hello matches ours, else the first difference, in words.</summary>
        private protected string? CompareHello(byte[] message)
        {
            var reader = new MessageReader(message, MessageType.Hello);
            int count = reader.Int32();
            var ours = Options.Settings(Reconciler.Name);
            var theirs = new Dictionary<string, string>();
            for (int i = 0; i < Math.Min(count, 64); i++) theirs[reader.Text()] = reader.Text();
            foreach (var s in ours)
            {
                if (!theirs.TryGetValue(s.Key, out var value)) return $"the peer does not state setting '{s.Key}'";
                if (value != s.Value) return $"setting '{s.Key}' differs: here {s.Value}, peer {value}";
            }
            return null;
        }

        private protected void RequireHello()
        {
            if (!HelloDone) throw new InvalidOperationException("Call HelloAsync before processing blocks.");
        }

        /// <summary>
        /// Stops the session from outside the protocol (e.g. this side's raw data is unreadable): tells the
        /// peer why, best effort, so it stops with the reason instead of a dropped connection.
        /// </summary>
        public async Task SendAbortAsync(string reason, CancellationToken cancellationToken = default) =>
            _ = await AbortAsync(reason, cancellationToken).ConfigureAwait(false);

        /// <summary>Tells the peer why we stop (best effort), then throws.</summary>
        private protected async Task<Exception> AbortAsync(string reason, CancellationToken cancellationToken)
        {
            try
            {
                await Channel.SendAsync(new MessageWriter(MessageType.Abort).Text(reason).ToArray(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The peer is gone or the channel refused: our own error is what matters.
            }
            return new TwoPartyAbortException(reason);
        }

        private protected int SampleSize(int sifted) => Math.Max(1, (int)Math.Round(sifted * Options.SampleFraction));

        /// <summary>
        /// Estimation from this side's sifted string and the peer's revealed sample bits: the peer's string is
        /// ours with the sample positions replaced, so <see cref="ParameterEstimation"/> counts exactly the
        /// disclosed disagreements, and the key it returns for our side is the sifted string minus the sample.
        /// </summary>
        private protected static EstimationResult Estimate(BitVector own, BitVector peerSample, BitVector sampleMask, int zLength, bool ownIsAlice, double epsilon)
        {
            var peer = new BitVector((ulong[])own.Words.Clone(), own.Length);
            peer.Assign(sampleMask, peerSample);
            return ownIsAlice
                ? ParameterEstimation.Estimate(own, peer, zLength, sampleMask, epsilon)
                : ParameterEstimation.Estimate(peer, own, zLength, sampleMask, epsilon);
        }

        private protected string? QberRefusal(QberEstimate qber) =>
            qber.Qber > Options.MaxQber
                ? $"QBER {qber.Qber:P2} ({qber.Errors} of {qber.SampleBits} sample bits) is above the threshold {Options.MaxQber:P2}: possible eavesdropping, session stopped"
                : null;

        private protected KeyLengthResult KeyLength(EstimationResult estimate, ReconciliationResult reconciled, long confirmationBits)
        {
            int n = reconciled.Reconciled.Length;
            if (n == 0 || estimate.Overall.Qber >= 0.5)
                return new KeyLengthResult(Profile.Name, 0, 0, Array.Empty<KeyValuePair<string, double>>());
            return Profile.Compute(new KeyLengthInput
            {
                Qber = estimate.Overall.Qber, KeyBits = n, SampleBits = estimate.Overall.SampleBits, Epsilon = Options.Epsilon,
                EpsilonCorrect = Options.EpsilonCorrect, SinglePhotonFraction = Options.SinglePhotonFraction,
                LeakBits = reconciled.LeakBits + confirmationBits, Xi = Options.Xi,
            });
        }

        /// <summary>Reserve for authentication: a fraction of the final key, at least what this block used, at most all of it.</summary>
        private protected int ReserveBits(int finalBits, long usedThisBlock) =>
            (int)Math.Min(finalBits, Math.Max((long)Math.Ceiling(finalBits * Options.AuthenticationReserveFraction), usedThisBlock));

        private protected TwoPartyBlockReport Finish(
            long blockNumber, int pulses, int detections, int doubleClicks, int empty, int mismatches, int sifted,
            EstimationResult estimate, ReconciliationResult reconciled, long confirmationBits, KeyLengthResult length,
            BitVector finalKey, long authUsedAtStart)
        {
            long used = Channel.Keys.ConsumedBits - authUsedAtStart;
            int reserve = ReserveBits(finalKey.Length, used);
            Channel.Keys.Replenish(finalKey.Slice(0, reserve));
            var key = finalKey.Slice(reserve, finalKey.Length - reserve);
            Array.Clear(finalKey.Words);
            return new TwoPartyBlockReport
            {
                BlockNumber = blockNumber, Pulses = pulses, Detections = detections, DoubleClicks = doubleClicks,
                EmptyRecords = empty, BasisMismatches = mismatches, SiftedBits = sifted, SampleBits = estimate.Overall.SampleBits,
                Qber = estimate.Overall, QberZ = estimate.Z, QberX = estimate.X,
                FramesOk = reconciled.FramesOk, FramesFailed = reconciled.FramesFailed, ReconciliationLeakBits = reconciled.LeakBits,
                ConfirmationBits = confirmationBits, Efficiency = reconciled.Efficiency, ReconciledBits = reconciled.Reconciled.Length,
                KeyLength = length, FinalKeyBits = finalKey.Length, AuthenticationReservedBits = reserve,
                AuthenticationBitsUsed = used, Key = key,
            };
        }

        /// <summary>Both sides know the sifted count, so both stop here without a message.</summary>
        private protected void CheckSiftedSize(int sifted)
        {
            if (SampleSize(sifted) >= sifted)
                throw new TwoPartyAbortException($"only {sifted} sifted bits: too few for estimation and a key, session stopped");
        }

        private protected static string ConfirmationFailed(long block) =>
            $"block {block}: the reconciled strings differ (block confirmation hash mismatch); nothing stored, session stopped";

        private protected static string NoKey(long block, int reconciledBits, double qber) =>
            $"block {block}: key length 0 ({reconciledBits} reconciled bits at QBER {qber:P2}); nothing stored, session stopped";
    }
}
