using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.Pipeline
{
    /// <summary>Choices for one block. Defaults: rate-adaptive reconciliation and tomamichel-2012.</summary>
    public sealed class PipelineOptions
    {
        /// <summary>Finite-key profile name (see <see cref="KeyLengthProfiles"/>).</summary>
        public string Profile { get; init; } = "tomamichel-2012";

        /// <summary>Fraction of the sifted bits disclosed for estimation (the hBN paper uses m = n, i.e. 0.5).</summary>
        public double SampleFraction { get; init; } = 0.1;

        public double Epsilon { get; init; } = 1e-10;
        public double EpsilonCorrect { get; init; } = 1e-15;
        public double SinglePhotonFraction { get; init; } = 1.0;
        public XiConvention Xi { get; init; } = XiConvention.Half;

        /// <summary>Floor for the QBER handed to the decoder when the sample shows no error at all.</summary>
        public double MinimumDecoderQber { get; init; } = 0.001;
    }
}
