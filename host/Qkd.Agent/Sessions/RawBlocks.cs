using System.Buffers.Binary;
using System.IO.Hashing;

namespace Qkd.Agent.Sessions;

/// <summary>
/// What one measured block left behind: the detections Bob's board recorded (pulse index, detector
/// code, his basis there) and Alice's MUX code at those pulses. Undetected pulses never enter post-
/// processing, so their table entries are not kept. Alice's half and Bob's half are separate files.
/// </summary>
public sealed class RawBlock
{
    public required uint BlockId { get; init; }
    public required int Pulses { get; init; }
    public required int[] DetectionPulses { get; init; }
    public required byte[] DetectorCodes { get; init; }
    public required byte[] BobBases { get; init; }
    public required byte[] AliceCodes { get; init; }
}

/// <summary>Where measured blocks go before post-processing (detected pulses only; `--save-raw` adds the RawData halves).</summary>
public interface IRawBlockSink
{
    /// <summary>Stores the block durably (on disk, synced) before it returns.</summary>
    void Write(RawBlock block);

    /// <summary>Block numbers stored completely, in increasing order.</summary>
    IReadOnlyList<uint> CompleteBlocks();

    RawBlock Read(uint blockId);
}

/// <summary>
/// DIR/raw/block-NNNNNN.alice and .bob: written to a temporary name, fsynced, renamed; Alice's half
/// first, so a block is complete exactly when its .bob file exists. Each file ends with a CRC-32.
/// Layout (little endian): magic "QKDRAW1A"/"QKDRAW1B", u32 block, u32 pulses, u32 n, n x u32 pulse
/// index, then n bytes (Alice: MUX code 0..3; Bob: detector code 1..3, then n bytes basis 0/1), u32 CRC.
/// </summary>
public sealed class FileRawBlockSink : IRawBlockSink
{
    private static readonly byte[] AliceMagic = "QKDRAW1A"u8.ToArray();
    private static readonly byte[] BobMagic = "QKDRAW1B"u8.ToArray();
    private readonly string _directory;

    public FileRawBlockSink(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public void Write(RawBlock block)
    {
        WriteSide(PathOf(block.BlockId, "alice"), AliceMagic, block, [block.AliceCodes]);
        WriteSide(PathOf(block.BlockId, "bob"), BobMagic, block, [block.DetectorCodes, block.BobBases]);
    }

    public IReadOnlyList<uint> CompleteBlocks()
    {
        var ids = new List<uint>();
        foreach (var path in Directory.EnumerateFiles(_directory, "block-*.bob"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (uint.TryParse(name.AsSpan("block-".Length), out var id)) ids.Add(id);
        }
        ids.Sort();
        return ids;
    }

    public RawBlock Read(uint blockId)
    {
        var (pulses, alicePulses, aliceParts) = ReadSide(PathOf(blockId, "alice"), AliceMagic, blockId, 1);
        var (_, bobPulses, bobParts) = ReadSide(PathOf(blockId, "bob"), BobMagic, blockId, 2);
        if (!alicePulses.AsSpan().SequenceEqual(bobPulses))
            throw new InvalidDataException($"raw block {blockId}: Alice's and Bob's halves list different pulses");
        return new RawBlock { BlockId = blockId, Pulses = pulses, DetectionPulses = bobPulses, AliceCodes = aliceParts[0], DetectorCodes = bobParts[0], BobBases = bobParts[1] };
    }

    private string PathOf(uint blockId, string side) => Path.Combine(_directory, $"block-{blockId:D6}.{side}");

    private static void WriteSide(string path, byte[] magic, RawBlock block, byte[][] parts)
    {
        var n = block.DetectionPulses.Length;
        var bytes = new byte[magic.Length + 12 + 4 * n + parts.Length * n + 4];
        magic.CopyTo(bytes, 0);
        var at = magic.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), block.BlockId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), (uint)block.Pulses);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), (uint)n);
        at += 12;
        foreach (var p in block.DetectionPulses)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)p);
            at += 4;
        }
        foreach (var part in parts)
        {
            if (part.Length != n) throw new ArgumentException("one entry per detection in every column");
            part.CopyTo(bytes, at);
            at += n;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), Crc32.HashToUInt32(bytes.AsSpan(0, at)));
        DurableFile.WriteAllBytes(path, bytes);
    }

    private static (int Pulses, int[] DetectionPulses, byte[][] Parts) ReadSide(string path, byte[] magic, uint blockId, int partCount)
    {
        var bytes = File.ReadAllBytes(path);
        var header = magic.Length + 12;
        if (bytes.Length < header + 4 || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new InvalidDataException($"{path}: not a raw block file");
        var crcAt = bytes.Length - 4;
        if (Crc32.HashToUInt32(bytes.AsSpan(0, crcAt)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(crcAt)))
            throw new InvalidDataException($"{path}: CRC mismatch (damaged file)");
        var id = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(magic.Length));
        var pulses = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(magic.Length + 4));
        var n = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(magic.Length + 8));
        if (id != blockId || header + 4L * n + (long)partCount * n != crcAt) throw new InvalidDataException($"{path}: header does not match its contents");
        var detectionPulses = new int[n];
        for (var i = 0; i < n; i++) detectionPulses[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(header + 4 * i));
        var parts = new byte[partCount][];
        for (var k = 0; k < partCount; k++) parts[k] = bytes.AsSpan(header + 4 * n + k * n, n).ToArray();
        return (pulses, detectionPulses, parts);
    }
}

/// <summary>Writes that survive a crash: temporary file, fsync, rename, fsync of the directory.</summary>
public static class DurableFile
{
    /// <param name="overwrite">Replace an existing file; false throws <see cref="IOException"/> if it exists (write-once data).</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Appends one line and syncs it to disk.</summary>
    public static void AppendLine(string path, string line)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        file.Flush(flushToDisk: true);
    }

    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return; // NTFS renames are journaled; directories cannot be opened for flushing
        try
        {
            using var handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some file systems refuse to open directories; the file itself is synced.
        }
    }
}
