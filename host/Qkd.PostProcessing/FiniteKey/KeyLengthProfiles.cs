namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>Registry of the finite-key profiles by name, so hosts and the CLI select one with a string.</summary>
    public static class KeyLengthProfiles
    {
        private static readonly IKeyLengthProfile[] All =
        {
            new HbnProfile(),
            new TomamichelProfile(),
            new QuantumDotProfile(),
        };

        public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

        public static IKeyLengthProfile Get(string name)
        {
            foreach (var p in All)
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p;
            throw new ArgumentException($"Unknown key-length profile '{name}'; known: {string.Join(", ", Names)}.");
        }
    }
}
