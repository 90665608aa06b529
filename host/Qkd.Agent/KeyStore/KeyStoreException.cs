namespace Qkd.Agent.Keys;

public enum KeyStoreError
{
    /// <summary>Fewer unconsumed bits than asked for; nothing was consumed.</summary>
    InsufficientKey,
    /// <summary>A requested range names a block this store does not hold, or bits past its end.</summary>
    RangeMissing,
    /// <summary>A requested range overlaps bits this store already handed out.</summary>
    RangeConsumed,
    /// <summary>The database is not a key store this code understands.</summary>
    Unusable,
}

/// <summary>A refused key-store operation. Messages carry counts and block names only, never key bits.</summary>
public sealed class KeyStoreException(KeyStoreError error, string message) : Exception(message)
{
    public KeyStoreError Error { get; } = error;
}
