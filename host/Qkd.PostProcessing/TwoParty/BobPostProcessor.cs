using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Confirmation;
using Qkd.PostProcessing.Estimation;
using Qkd.PostProcessing.PrivacyAmplification;
using Qkd.PostProcessing.Reconciliation;
using Qkd.PostProcessing.Sifting;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// Bob's half: he holds only his bases and detections. He announces his single clicks and bases,
    /// reveals his sample bits first, discloses reconciliation data (his string is the reference) and
    /// checks Alice's block confirmation tag.
    /// </summary>
    public sealed class BobPostProcessor : TwoPartyPostProcessor
    {
        private readonly ToeplitzHash _toeplitz = new();

        public BobPostProcessor(AuthenticatedChannel channel, IReconciler reconciler, TwoPartyOptions? options = null)
            : base(channel, reconciler, options ?? new TwoPartyOptions())
        {
        }

        public async Task HelloAsync(CancellationToken cancellationToken = default)
        {
            string? difference = CompareHello(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false));
            if (difference is not null) throw await AbortAsync($"the two sides' settings differ: {difference}", cancellationToken).ConfigureAwait(false);
            await Channel.SendAsync(HelloMessage(), cancellationToken).ConfigureAwait(false);
            HelloDone = true;
        }

        public async Task<TwoPartyBlockReport> ProcessBlockAsync(BobBlock block, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(block);
            RequireHello();
            long authAtStart = Channel.Keys.ConsumedBits;

            // 1. Announce single clicks and their bases (double clicks and empty records only counted).
            var clickList = new List<int>(block.PulseIndices.Length);
            int doubleClicks = 0, empty = 0;
            long previous = -1;
            for (int r = 0; r < block.PulseIndices.Length; r++)
            {
                long pulse = block.PulseIndices[r];
                byte code = block.DetectorCodes[r];
                if (pulse <= previous || pulse >= block.PulseCount || code > DetectorCode.Both)
                    throw await AbortAsync($"Bob's detection record {r} of block {block.BlockNumber} is invalid (pulse {pulse}, code {code})", cancellationToken).ConfigureAwait(false);
                previous = pulse;
                if (code == DetectorCode.Both) doubleClicks++;
                else if (code == DetectorCode.None) empty++;
                else clickList.Add((int)pulse);
            }
            int[] clicks = clickList.ToArray();
            var bases = new BitVector(clicks.Length);
            var bits = new BitVector(clicks.Length);
            for (int i = 0, c = 0; i < block.PulseIndices.Length; i++)
            {
                byte code = block.DetectorCodes[i];
                if (code is not (DetectorCode.Apd0 or DetectorCode.Apd1)) continue;
                bases[c] = block.Bases[clicks[c]];
                bits[c] = code == DetectorCode.Apd1;
                c++;
            }
            await Channel.SendAsync(new MessageWriter(MessageType.Sift).Int64(block.BlockNumber).Int32(block.PulseCount)
                .Int32(block.PulseIndices.Length).Int32(doubleClicks).Int32(empty).Int32Array(clicks).Bits(bases).ToArray(), cancellationToken).ConfigureAwait(false);

            // 2. Alice's matches and estimation seed.
            var reply = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.SiftReply);
            BitVector match = reply.Bits(clicks.Length);
            ulong sampleSeed = reply.UInt64();
            int zCount = 0, siftedCount = 0;
            for (int i = 0; i < clicks.Length; i++)
            {
                if (!match[i]) continue;
                siftedCount++;
                if (!bases[i]) zCount++;
            }
            var sifted = SiftedFromClickBits(bits, bases, match, zCount, siftedCount);
            CheckSiftedSize(siftedCount);

            // 3. Estimation: Bob reveals first.
            int sampleBits = SampleSize(siftedCount);
            BitVector sample = SharedSample.ChooseMask(siftedCount, sampleBits, sampleSeed);
            await Channel.SendAsync(new MessageWriter(MessageType.SampleBits).Bits(sifted.Select(sample)).ToArray(), cancellationToken).ConfigureAwait(false);
            BitVector aliceSample = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.SampleBits).Bits(sampleBits);
            var estimate = Estimate(sifted, aliceSample, sample, zCount, ownIsAlice: false, Options.Epsilon);
            if (QberRefusal(estimate.Overall) is string tooHigh)
                throw new TwoPartyAbortException(tooHigh) { Figures = new RefusedBlockFigures(siftedCount, sampleBits, estimate.Overall.Qber, 0) };

            // 4. Reconciliation, 5. block confirmation.
            double decoderQber = Math.Clamp(estimate.Overall.Qber, Options.MinimumDecoderQber, 0.499);
            var reconciled = await Reconciler.ReconcileAsBobAsync(Channel, estimate.BobKey, decoderQber, cancellationToken).ConfigureAwait(false);
            var confirm = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.Confirm);
            ulong confirmKey = confirm.UInt64();
            ulong aliceTag = confirm.UInt64();
            bool confirmed = PolynomialHash64.TagsMatch(aliceTag, new PolynomialHash64(confirmKey).Tag(reconciled.Reconciled));
            await Channel.SendAsync(new MessageWriter(MessageType.ConfirmResult).Bool(confirmed).ToArray(), cancellationToken).ConfigureAwait(false);
            if (!confirmed) throw new TwoPartyAbortException(ConfirmationFailed(block.BlockNumber));
            long confirmationBits = reconciled.ConfirmationBits + 64;

            // 6. Key length, 7. privacy amplification with Alice's seed.
            var length = KeyLength(estimate, reconciled, confirmationBits);
            int l = (int)Math.Min(length.KeyBits, reconciled.Reconciled.Length);
            if (l <= 0)
                throw new TwoPartyAbortException(NoKey(block.BlockNumber, reconciled.Reconciled.Length, estimate.Overall.Qber))
                    { Figures = new RefusedBlockFigures(siftedCount, sampleBits, estimate.Overall.Qber, reconciled.Reconciled.Length) };
            BitVector seed = new MessageReader(await Channel.ReceiveAsync(cancellationToken).ConfigureAwait(false), MessageType.ToeplitzSeed)
                .Bits(ToeplitzHash.SeedBits(reconciled.Reconciled.Length, l));
            BitVector finalKey = _toeplitz.Hash(reconciled.Reconciled, seed, l);

            var report = Finish(block.BlockNumber, block.PulseCount, block.PulseIndices.Length, doubleClicks, empty, clicks.Length - siftedCount,
                siftedCount, estimate, reconciled, confirmationBits, length, finalKey, authAtStart);
            await Channel.SendAsync(new MessageWriter(MessageType.BlockDone).Int64(block.BlockNumber).ToArray(), cancellationToken).ConfigureAwait(false);
            return report;
        }

        /// <summary>Bob's sifted string: matched clicks, Z basis first then X, each in pulse order.</summary>
        private static BitVector SiftedFromClickBits(BitVector bits, BitVector bases, BitVector match, int zCount, int siftedCount)
        {
            var sifted = new BitVector(siftedCount);
            int z = 0, x = zCount;
            for (int i = 0; i < bits.Length; i++)
            {
                if (!match[i]) continue;
                sifted[bases[i] ? x++ : z++] = bits[i];
            }
            return sifted;
        }
    }
}
