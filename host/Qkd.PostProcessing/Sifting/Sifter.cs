using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Sifting
{
    /// <summary>
    /// BB84 sifting (qkd-math.md): Bob announces his single-click pulses and bases, Alice keeps the pulses
    /// where the bases match. Alice's table value v: basis v &gt;&gt; 1, bit v &amp; 1; Bob's bit = the APD that
    /// clicked. Double clicks are excluded from the key but counted.
    /// </summary>
    public static class Sifter
    {
        /// <param name="aliceTable">Alice's value 0..3 per pulse.</param>
        /// <param name="bobBases">Bob's basis bit per pulse (same pulse count).</param>
        /// <param name="pulseIndices">Pulse index per detection record, strictly increasing.</param>
        /// <param name="detectorCodes">Detector code per record (see <see cref="DetectorCode"/>).</param>
        public static SiftResult Sift(ReadOnlySpan<byte> aliceTable, BitVector bobBases, ReadOnlySpan<long> pulseIndices, ReadOnlySpan<byte> detectorCodes)
        {
            ArgumentNullException.ThrowIfNull(bobBases);
            if (bobBases.Length != aliceTable.Length)
                throw new ArgumentException($"Alice's table has {aliceTable.Length} pulses but Bob's basis table {bobBases.Length}.");
            if (pulseIndices.Length != detectorCodes.Length)
                throw new ArgumentException($"{pulseIndices.Length} pulse indices but {detectorCodes.Length} detector codes.");

            var z = new Collector(pulseIndices.Length / 2 + 1);
            var x = new Collector(pulseIndices.Length / 2 + 1);
            // Indexed by Alice's basis: bases and bits are random, so choosing by branch would mispredict half the time.
            Collector[] byBasis = { z, x };
            ulong[] bobBasisWords = bobBases.Words;
            int doubleClicks = 0, empty = 0, mismatches = 0;
            long previous = -1;
            for (int r = 0; r < pulseIndices.Length; r++)
            {
                long pulse = pulseIndices[r];
                if (pulse <= previous)
                    throw new ArgumentException($"Detection record {r}: pulse index {pulse} does not increase (previous {previous}).");
                if (pulse >= aliceTable.Length)
                    throw new ArgumentException($"Detection record {r}: pulse index {pulse} is outside the block of {aliceTable.Length} pulses.");
                previous = pulse;

                byte code = detectorCodes[r];
                if (code == DetectorCode.Both) { doubleClicks++; continue; }
                if (code == DetectorCode.None) { empty++; continue; }
                if (code > DetectorCode.Both)
                    throw new ArgumentException($"Detection record {r}: detector code {code} is not 0..3.");

                byte alice = aliceTable[(int)pulse];
                if (alice > 3) throw new ArgumentException($"Alice's table value {alice} at pulse {pulse} is not 0..3.");
                int aliceBasis = alice >> 1;
                int bobBasis = (int)((bobBasisWords[(int)(pulse >> 6)] >> (int)(pulse & 63)) & 1);
                int match = aliceBasis ^ bobBasis ^ 1;
                mismatches += match ^ 1;
                // Apd0 = 1, Apd1 = 2: Bob's bit is code >> 1.
                byBasis[aliceBasis].Add(pulse, alice & 1, code >> 1, match);
            }
            return new SiftResult(z.Build(), x.Build(), pulseIndices.Length, doubleClicks, empty, mismatches);
        }

        /// <summary>Appends bits into packed words directly: no per-bit objects.</summary>
        private sealed class Collector
        {
            private ulong[] _alice, _bob;
            private long[] _pulses;
            private int _count;

            public Collector(int capacity)
            {
                _alice = new ulong[BitVector.WordCount(capacity) + 1];
                _bob = new ulong[_alice.Length];
                _pulses = new long[capacity];
            }

            /// <summary>
            /// Writes the record at the next slot and keeps it only if <paramref name="keep"/> is 1, without a
            /// branch: a slot not kept is overwritten by the next record (bits included), or cleared by Build.
            /// </summary>
            public void Add(long pulse, int aliceBit, int bobBit, int keep)
            {
                if (_count == _pulses.Length)
                {
                    Array.Resize(ref _pulses, _pulses.Length * 2);
                    Array.Resize(ref _alice, BitVector.WordCount(_pulses.Length) + 1);
                    Array.Resize(ref _bob, _alice.Length);
                }
                int w = _count >> 6, b = _count & 63;
                ulong slot = 1UL << b;
                _alice[w] = (_alice[w] & ~slot) | ((ulong)aliceBit << b);
                _bob[w] = (_bob[w] & ~slot) | ((ulong)bobBit << b);
                _pulses[_count] = pulse;
                _count += keep;
            }

            public BasisBits Build()
            {
                Array.Resize(ref _pulses, _count);
                return new BasisBits(new BitVector(_alice, _count), new BitVector(_bob, _count), _pulses);
            }
        }
    }
}
