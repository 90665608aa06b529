namespace Qkd.PostProcessing.FiniteKey
{
    /// <summary>Secret key length and the intermediate terms that produced it (for reports and JSON).</summary>
    public sealed class KeyLengthResult
    {
        public KeyLengthResult(string profile, long keyBits, double rate, IReadOnlyList<KeyValuePair<string, double>> terms)
        {
            Profile = profile;
            KeyBits = keyBits;
            Rate = rate;
            Terms = terms;
        }

        public string Profile { get; }

        /// <summary>Secret key bits (0 when nothing can be extracted).</summary>
        public long KeyBits { get; }

        /// <summary>Secret bits per raw key bit n (the profile's r; may be negative when no key).</summary>
        public double Rate { get; }

        /// <summary>Named intermediate terms in computation order (xi, delta, qu, mu, ...).</summary>
        public IReadOnlyList<KeyValuePair<string, double>> Terms { get; }

        public double Term(string name)
        {
            foreach (var t in Terms) if (t.Key == name) return t.Value;
            throw new KeyNotFoundException($"Profile {Profile} has no term '{name}'.");
        }

        internal static long Floor(double bits) => bits <= 0 ? 0 : (long)Math.Floor(bits);
    }
}
