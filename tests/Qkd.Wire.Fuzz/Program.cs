// Filled in by the wire protocol work: SharpFuzz.Fuzzer.OutOfProcess.Run(stream => ...).
return 0;
