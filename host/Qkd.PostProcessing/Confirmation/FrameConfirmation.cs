using Qkd.PostProcessing.Bits;

namespace Qkd.PostProcessing.Confirmation
{
    /// <summary>Outcome of confirming reconciled frames: which frames both sides keep, how many failed.</summary>
    public sealed class ConfirmationResult
    {
        public ConfirmationResult(int[] confirmedFrames, int failedFrames)
        {
            ConfirmedFrames = confirmedFrames;
            FailedFrames = failedFrames;
        }

        /// <summary>Indices of the frames whose tags matched, in order.</summary>
        public int[] ConfirmedFrames { get; }

        /// <summary>Frames discarded because their tags differed (never silently kept).</summary>
        public int FailedFrames { get; }

        /// <summary>Bits disclosed by the tags (64 per frame), to be counted in the leak.</summary>
        public long DisclosedBits => 64L * (ConfirmedFrames.Length + FailedFrames);
    }

    /// <summary>Compares per-frame tags of both sides; each side computes its own tags with the shared key.</summary>
    public static class FrameConfirmation
    {
        public static ulong[] Tags(IReadOnlyList<BitVector> frames, PolynomialHash64 hash)
        {
            var tags = new ulong[frames.Count];
            for (int i = 0; i < tags.Length; i++) tags[i] = hash.Tag(frames[i]);
            return tags;
        }

        public static ConfirmationResult Compare(ulong[] aliceTags, ulong[] bobTags)
        {
            if (aliceTags.Length != bobTags.Length)
                throw new ArgumentException($"Tag counts differ ({aliceTags.Length} vs {bobTags.Length}).");
            var ok = new List<int>(aliceTags.Length);
            int failed = 0;
            for (int i = 0; i < aliceTags.Length; i++)
            {
                if (PolynomialHash64.TagsMatch(aliceTags[i], bobTags[i])) ok.Add(i);
                else failed++;
            }
            return new ConfirmationResult(ok.ToArray(), failed);
        }
    }
}
