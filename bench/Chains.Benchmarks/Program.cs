using BenchmarkDotNet.Running;
using Keystore.Chains.Benchmarks;

// dotnet run -c Release --project bench/Chains.Benchmarks -- --filter '*'   (bench/README.md)
IEnumerable<BenchmarkDotNet.Reports.Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(SigningBenchmarks).Assembly).Run(args);
foreach (string line in FullSignRatios.Lines(summaries)) Console.WriteLine(line);
