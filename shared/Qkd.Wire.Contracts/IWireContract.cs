namespace Qkd.Wire.Contracts;

/// <summary>A host-side message contract; <see cref="Type"/> is the frame's message type byte.</summary>
public interface IWireContract
{
    byte Type { get; }
}
