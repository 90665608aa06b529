using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.PrivacyAmplification
{
    internal static class AdditiveFftAvx
    {
        public static bool IsSupported => false;
        public const int MinLog = 3;

        public static (BitVector First, BitVector? Second) Hash(AdditiveFftPlan plan, BitVector first, BitVector? second,
            BitVector seed, int outputBits, bool parallel) => throw new NotSupportedException();
    }
}
