using Qkd.Wire.Fuzz;
using SharpFuzz;

// Default: AFL++ out-of-process mode (afl-fuzz ... -- dotnet Qkd.Wire.Fuzz.dll).
// libFuzzer mode through libfuzzer-dotnet (which sets __LIBFUZZER_SHM_ID), or forced with --libfuzzer.
// --write-seeds DIR: regenerate the seed corpus.
if (args is ["--write-seeds", var directory])
{
    SeedCorpus.Write(directory);
    return 0;
}
if (args is ["--libfuzzer"] || Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is not null)
{
    Fuzzer.LibFuzzer.Run(span => FrameFuzzTarget.Run(span));
    return 0;
}
Fuzzer.OutOfProcess.Run(stream => FrameFuzzTarget.Run(stream));
return 0;
