using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.PrivacyAmplification;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// Alice's half of two-party post-processing: she holds only her table. She answers Bob's sifting
    /// announcement, draws the estimation seed, the block-confirmation key and the Toeplitz seed.
    /// </summary>
    public sealed class AlicePostProcessor : TwoPartyPostProcessor
    {
        private readonly ToeplitzHash _toeplitz = new();

        public AlicePostProcessor(AuthenticatedChannel channel, IReconciler reconciler, TwoPartyOptions? options = null)
            : base(channel, reconciler, options ?? new TwoPartyOptions())
        {
        }

        /// <summary>Alice speaks first; a settings mismatch stops both sides.</summary>
        public async Task HelloAsync(CancellationToken cancellationToken = default)
        {
            await Channel.SendAsync(HelloMessage(), cancellationToken).ConfigureAwait(false);
            string? difference = CompareHello(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false));
            if (difference is not null) throw await AbortAsync($"the two sides' settings differ: {difference}", cancellationToken).ConfigureAwait(false);
            HelloDone = true;
        }

        public async Task<TwoPartyBlockReport> ProcessBlockAsync(AliceBlock block, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(block);
            RequireHello();
            long authAtStart = Channel.Keys.ConsumedBits;

            // 1. Bob's announcement: block, counts, his single-click pulses and their bases.
            var sift = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.Sift);
            long blockNumber = sift.Int64();
            int pulses = sift.Int32(), detections = sift.Int32(), doubleClicks = sift.Int32(), empty = sift.Int32();
            int[] clicks = sift.Int32Array(Math.Max(0, pulses));
            BitVector bobBases = sift.Bits(clicks.Length);
            if (blockNumber != block.BlockNumber || pulses != block.PulseCount)
                throw await AbortAsync($"block mismatch: Bob announces block {blockNumber} of {pulses} pulses, Alice holds block {block.BlockNumber} of {block.PulseCount}", cancellationToken).ConfigureAwait(false);
            string? bad = CheckClicks(clicks, pulses, block.States);
            if (bad is not null) throw await AbortAsync(bad, cancellationToken).ConfigureAwait(false);

            // 2. Basis matches and the estimation seed.
            var match = new BitVector(clicks.Length);
            int zCount = 0, siftedCount = 0;
            for (int i = 0; i < clicks.Length; i++)
            {
                int basis = block.States[clicks[i]] >> 1;
                if (basis != (bobBases[i] ? 1 : 0)) continue;
                match[i] = true;
                siftedCount++;
                if (basis == 0) zCount++;
            }
            ulong sampleSeed = SecureRandomBits.UInt64();
            await Channel.SendAsync(new MessageWriter(MessageType.SiftReply).Bits(match).UInt64(sampleSeed).ToArray(), cancellationToken).ConfigureAwait(false);
            var sifted = Sifted(clicks, match, zCount, siftedCount, block.States);
            CheckSiftedSize(siftedCount);

            // 3. Estimation: Bob reveals his sample bits first, then Alice hers.
            int sampleBits = SampleSize(siftedCount);
            BitVector sample = SharedSample.ChooseMask(siftedCount, sampleBits, sampleSeed);
            BitVector bobSample = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.SampleBits).Bits(sampleBits);
            await Channel.SendAsync(new MessageWriter(MessageType.SampleBits).Bits(sifted.Select(sample)).ToArray(), cancellationToken).ConfigureAwait(false);
            var estimate = Estimate(sifted, bobSample, sample, zCount, ownIsAlice: true, Options.Epsilon);
            if (QberRefusal(estimate.Overall) is string tooHigh)
                throw new TwoPartyAbortException(tooHigh) { Figures = new RefusedBlockFigures(siftedCount, sampleBits, estimate.Overall.Qber, 0) };

            // 4. Reconciliation, then 5. block confirmation with a fresh hash key.
            double decoderQber = Math.Clamp(estimate.Overall.Qber, Options.MinimumDecoderQber, 0.499);
            var reconciled = await Reconciler.ReconcileAsAliceAsync(Channel, estimate.AliceKey, decoderQber, cancellationToken).ConfigureAwait(false);
            ulong confirmKey = SecureRandomBits.UInt64() | 1;
            ulong tag = new PolynomialHash64(confirmKey).Tag(reconciled.Reconciled);
            await Channel.SendAsync(new MessageWriter(MessageType.Confirm).UInt64(confirmKey).UInt64(tag).ToArray(), cancellationToken).ConfigureAwait(false);
            bool confirmed = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.ConfirmResult).Bool();
            if (!confirmed) throw new TwoPartyAbortException(ConfirmationFailed(block.BlockNumber));
            long confirmationBits = reconciled.ConfirmationBits + 64;

            // 6. Key length, 7. privacy amplification with Alice's Toeplitz seed.
            var length = KeyLength(estimate, reconciled, confirmationBits);
            int l = (int)Math.Min(length.KeyBits, reconciled.Reconciled.Length);
            if (l <= 0)
                throw new TwoPartyAbortException(NoKey(block.BlockNumber, reconciled.Reconciled.Length, estimate.Overall.Qber))
                    { Figures = new RefusedBlockFigures(siftedCount, sampleBits, estimate.Overall.Qber, reconciled.Reconciled.Length) };
            BitVector seed = SecureRandomBits.Bits(ToeplitzHash.SeedBits(reconciled.Reconciled.Length, l));
            await Channel.SendAsync(new MessageWriter(MessageType.ToeplitzSeed).Bits(seed).ToArray(), cancellationToken).ConfigureAwait(false);
            BitVector finalKey = _toeplitz.Hash(reconciled.Reconciled, seed, l);

            var report = Finish(block.BlockNumber, pulses, detections, doubleClicks, empty, clicks.Length - siftedCount, siftedCount,
                estimate, reconciled, confirmationBits, length, finalKey, authAtStart);
            // 8. Bob confirms he finished too; only then is the block's key Alice's to store.
            long done = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.BlockDone).Int64();
            if (done != block.BlockNumber) throw new TwoPartyAbortException($"protocol error: Bob finished block {done}, Alice block {block.BlockNumber}");
            return report;
        }

        /// <summary>Alice's sifted string: matched clicks, Z basis first then X, each in pulse order.</summary>
        private static BitVector Sifted(int[] clicks, BitVector match, int zCount, int siftedCount, byte[] states)
        {
            var sifted = new BitVector(siftedCount);
            int z = 0, x = zCount;
            for (int i = 0; i < clicks.Length; i++)
            {
                if (!match[i]) continue;
                byte v = states[clicks[i]];
                sifted[(v >> 1) == 0 ? z++ : x++] = (v & 1) != 0;
            }
            return sifted;
        }

        private static string? CheckClicks(int[] clicks, int pulses, byte[] states)
        {
            int previous = -1;
            for (int i = 0; i < clicks.Length; i++)
            {
                if (clicks[i] <= previous || clicks[i] >= pulses)
                    return $"protocol error: Bob's announced pulse {clicks[i]} (entry {i}) is out of order or outside 0..{pulses - 1}";
                if (states[clicks[i]] > 3) return $"Alice's table value {states[clicks[i]]} at pulse {clicks[i]} is not 0..3";
                previous = clicks[i];
            }
            return null;
        }
    }
}
