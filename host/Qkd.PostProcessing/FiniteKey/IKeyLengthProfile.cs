namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>A finite-key security bound, selectable by <see cref="Name"/> (see <see cref="KeyLengthProfiles"/>).</summary>
    public interface IKeyLengthProfile
    {
        string Name { get; }

        /// <summary>One line saying where the formula comes from.</summary>
        string Source { get; }

        /// <summary>Validates the input (ArgumentException on absurd values) and computes the key length.</summary>
        KeyLengthResult Compute(KeyLengthInput input);
    }
}
