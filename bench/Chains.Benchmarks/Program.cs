using BenchmarkDotNet.Running;
using Keystore.Chains.Benchmarks;

// dotnet run -c Release --project bench/Chains.Benchmarks -- --filter '*'   (bench/README.md)
// dotnet run -c Release --project bench/Chains.Benchmarks -- cpu [rounds]  (thread CPU time, interleaved: for a shared machine)
if (args.Length > 0 && args[0] == "cpu")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
    foreach (string line in InterleavedCpuRatios.Lines(rounds)) Console.WriteLine(line);
    return;
}
IEnumerable<BenchmarkDotNet.Reports.Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(SigningBenchmarks).Assembly).Run(args);
foreach (string line in FullSignRatios.Lines(summaries)) Console.WriteLine(line);
