using FsCheck.Xunit;
using Qkd.Wire.Fuzz;

namespace Qkd.Wire.Tests;

/// <summary>Replays the fuzzer's corpus through the harness's own entry point, as CI must.</summary>
public class FuzzCorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "fuzz-corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDirectory).Order())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_file_runs_through_the_harness_without_unexpected_exception(string name)
    {
        using var input = File.OpenRead(Path.Combine(CorpusDirectory, name));
        FrameFuzzTarget.Run(input); // any exception but the caught WireFormatException fails the test
    }

    [Fact]
    public void Corpus_holds_good_frames_of_several_types_and_damaged_frames()
    {
        var types = new HashSet<byte>();
        var errors = new HashSet<FrameError>();
        foreach (var file in Directory.GetFiles(CorpusDirectory))
        {
            var reader = new FrameReader(FrameFuzzTarget.MaxPayloadBytes);
            foreach (var b in File.ReadAllBytes(file))
            {
                if (reader.Push(b))
                {
                    errors.Add(reader.LastError);
                    if (reader.LastError == FrameError.None)
                    {
                        types.Add(reader.Type);
                    }
                }
            }
            if (reader.EndOfStream())
            {
                errors.Add(reader.LastError);
            }
        }
        Assert.True(types.Count >= 6, $"only {types.Count} message types in the corpus");
        Assert.Contains(FrameError.Crc, errors);
        Assert.Contains(FrameError.Truncated, errors);
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_never_crash_the_harness(byte[] data) => FrameFuzzTarget.Run(data);

    [Property(MaxTest = 300)]
    public void Mutated_corpus_files_never_crash_the_harness(int seed)
    {
        var random = new Random(seed);
        var files = Directory.GetFiles(CorpusDirectory).Order().ToArray();
        var data = File.ReadAllBytes(files[random.Next(files.Length)]);
        for (var flips = random.Next(1, 6); flips > 0; flips--)
        {
            data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
        }
        FrameFuzzTarget.Run(data);
    }
}
