using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Near.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Keystore.Near.Benchmarks.BlsBenchmarks).Assembly).Run(args);
