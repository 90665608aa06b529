using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>What Alice alone knows of one block: her table value 0..3 per pulse (basis v>>1, bit v&amp;1).</summary>
    public sealed class AliceBlock
    {
        public AliceBlock(long blockNumber, byte[] states)
        {
            BlockNumber = blockNumber;
            States = states ?? throw new ArgumentNullException(nameof(states));
        }

        public long BlockNumber { get; }
        public byte[] States { get; }
        public int PulseCount => States.Length;
    }

    /// <summary>What Bob alone knows of one block: his basis per pulse and his detection records.</summary>
    public sealed class BobBlock
    {
        public BobBlock(long blockNumber, BitVector bases, long[] pulseIndices, byte[] detectorCodes)
        {
            BlockNumber = blockNumber;
            Bases = bases ?? throw new ArgumentNullException(nameof(bases));
            PulseIndices = pulseIndices ?? throw new ArgumentNullException(nameof(pulseIndices));
            DetectorCodes = detectorCodes ?? throw new ArgumentNullException(nameof(detectorCodes));
            if (pulseIndices.Length != detectorCodes.Length)
                throw new ArgumentException($"{pulseIndices.Length} pulse indices but {detectorCodes.Length} detector codes.");
        }

        public long BlockNumber { get; }
        public BitVector Bases { get; }
        public long[] PulseIndices { get; }
        public byte[] DetectorCodes { get; }
        public int PulseCount => Bases.Length;
    }
}
