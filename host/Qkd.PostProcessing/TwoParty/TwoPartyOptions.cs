using System.Globalization;
using Qkd.PostProcessing.FiniteKey;

namespace Qkd.PostProcessing.TwoParty
{
    /// <summary>
    /// Settings both parties must share; exchanged and compared in the hello (a mismatch stops the
    /// session before any key material is disclosed).
    /// </summary>
    public sealed class TwoPartyOptions
    {
        public const int ProtocolVersion = 1;

        /// <summary>Finite-key profile name (see <see cref="KeyLengthProfiles"/>).</summary>
        public string Profile { get; init; } = "tomamichel-2012";

        /// <summary>Fraction of the sifted bits disclosed for estimation.</summary>
        public double SampleFraction { get; init; } = 0.1;

        /// <summary>Abort threshold on the measured QBER (above it the session stops).</summary>
        public double MaxQber { get; init; } = 0.11;

        public double Epsilon { get; init; } = 1e-10;
        public double EpsilonCorrect { get; init; } = 1e-15;
        public double SinglePhotonFraction { get; init; } = 1.0;
        public XiConvention Xi { get; init; } = XiConvention.Half;
        public double MinimumDecoderQber { get; init; } = 0.001;

        /// <summary>
        /// Fraction of each block's final key moved to the authentication pools (at least what the block's
        /// messages consumed, at most the whole key); the rest is the stored secret key.
        /// </summary>
        public double AuthenticationReserveFraction { get; init; } = 0.05;

        /// <summary>Public session identifier (raw-data session.json); both sides must name the same one.</summary>
        public string SessionId { get; init; } = "";

        /// <summary>Blocks each side will process (-1: not stated); both sides must agree.</summary>
        public long BlockCount { get; init; } = -1;

        public void Validate()
        {
            KeyLengthProfiles.Get(Profile);
            if (!(SampleFraction > 0 && SampleFraction < 1)) throw new ArgumentException($"Sample fraction {SampleFraction} must lie in (0, 1).");
            if (!(MaxQber > 0 && MaxQber < 0.5)) throw new ArgumentException($"QBER threshold {MaxQber} must lie in (0, 0.5).");
            if (!(AuthenticationReserveFraction >= 0 && AuthenticationReserveFraction < 1))
                throw new ArgumentException($"Authentication reserve fraction {AuthenticationReserveFraction} must lie in [0, 1).");
        }

        /// <summary>Every shared setting as name=value, in a fixed order (what the hello compares).</summary>
        internal IReadOnlyList<KeyValuePair<string, string>> Settings(string reconciler) =>
        [
            new("protocol", ProtocolVersion.ToString(CultureInfo.InvariantCulture)),
            new("session", SessionId),
            new("blocks", BlockCount.ToString(CultureInfo.InvariantCulture)),
            new("reconciler", reconciler),
            new("profile", Profile.ToLowerInvariant()),
            new("sampleFraction", Number(SampleFraction)),
            new("maxQber", Number(MaxQber)),
            new("epsilon", Number(Epsilon)),
            new("epsilonCorrect", Number(EpsilonCorrect)),
            new("singlePhotonFraction", Number(SinglePhotonFraction)),
            new("xi", Xi == XiConvention.Half ? "half" : "full"),
            new("minimumDecoderQber", Number(MinimumDecoderQber)),
            new("authenticationReserveFraction", Number(AuthenticationReserveFraction)),
        ];

        private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }
}
