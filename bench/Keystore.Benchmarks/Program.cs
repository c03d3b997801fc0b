using BenchmarkDotNet.Running;
using Keystore.Benchmarks;

// `load [concurrency] [seconds]` measures the sign endpoint; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "load")
{
    int concurrency = args.Length > 1 ? int.Parse(args[1]) : 8;
    int seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
    return await SignEndpointLoad.RunAsync(concurrency, TimeSpan.FromSeconds(seconds));
}
BenchmarkSwitcher.FromAssembly(typeof(DerivationBenchmarks).Assembly).Run(args);
return 0;
