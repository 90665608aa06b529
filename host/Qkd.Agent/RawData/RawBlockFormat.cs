namespace Qkd.Agent.RawData;

/// <summary>Constants of the per-block raw files (layout in README.md).</summary>
public static class RawBlockFormat
{
    public const ushort Version = 1;

    /// <summary>"QKDA": Alice's half.</summary>
    public static ReadOnlySpan<byte> AliceMagic => "QKDA"u8;

    /// <summary>"QKDB": Bob's half.</summary>
    public static ReadOnlySpan<byte> BobMagic => "QKDB"u8;

    public const int AliceHeaderBytes = 24;
    public const int BobHeaderBytes = 32;
    public const int RecordBytes = 9;
    public const int CrcBytes = 4;

    /// <summary>Pulses per block are held in int-indexed arrays by the post-processing.</summary>
    public const long MaxPulses = int.MaxValue;

    public static string FileName(long blockNumber) => $"block-{blockNumber:D6}.qkdraw";
}
