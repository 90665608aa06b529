namespace Qkd.Wire.Contracts;

/// <summary>
/// Marks a field that carries raw key material (Alice's MUX table holds her bits and bases, Bob's
/// detector codes hold his bits). Diagnostic output redacts such fields unless explicitly asked.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RawKeyMaterialAttribute : Attribute
{
}
