using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Attestation.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Keystore.Attestation.Benchmarks.VerificationBenchmarks).Assembly).Run(args);
