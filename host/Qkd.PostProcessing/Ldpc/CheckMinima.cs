using System.Runtime.CompilerServices;

namespace Qkd.PostProcessing.Ldpc;

/// <summary>
/// The reduction of the 8-bit offset min-sum check update over one check's incoming messages: the two smallest
/// magnitudes and the edge of the smallest. Each edge then gets the offset magnitude of the smallest of the others
/// (<see cref="Second"/> on <see cref="SmallestAt"/>, <see cref="Smallest"/> elsewhere). Shared by the portable
/// quasi-cyclic decoder and the density-evolution tool, so the tool models exactly the shipped rule.
/// </summary>
public struct CheckMinima
{
    public int Smallest { get; private set; }
    public int Second { get; private set; }
    public int SmallestAt { get; private set; }

    /// <summary>No message yet (both minima above any 8-bit magnitude).</summary>
    public static CheckMinima Empty => new() { Smallest = 255, Second = 255 };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int magnitude, int at)
    {
        if (magnitude < Smallest)
        {
            Second = Smallest;
            Smallest = magnitude;
            SmallestAt = at;
        }
        else if (magnitude < Second)
        {
            Second = magnitude;
        }
    }

    /// <summary>A minimum less the offset, kept in the message range [0, 127].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int OffsetMagnitude(int minimum, int offset) => Math.Min(Math.Max(minimum - offset, 0), 127);
}
