using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Chains.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Keystore.Chains.Benchmarks.SigningBenchmarks).Assembly).Run(args);
