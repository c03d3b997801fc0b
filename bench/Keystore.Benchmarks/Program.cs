using BenchmarkDotNet.Running;
using Keystore.Benchmarks;

// `limits [requests] [rounds]` runs parallel reservations against a daily limit on both stores (ExactLimitRun); `cpu …` measures a keystore in its own process (ServerCpuLoad), `cpu-batch …` also per item of sign-batch, `cpu-floor …` next to a bare GET and an authenticated read, `cpu-batch-only …` that alone in rounds; `load [concurrency] [seconds]` measures the sign endpoint; `flood [signers] [flooders] [seconds] [unlimited]`
// measures it alone and then under an unauthenticated GET flood; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "flood")
{
    int signers = args.Length > 1 ? int.Parse(args[1]) : 8;
    int flooders = args.Length > 2 ? int.Parse(args[2]) : 16;
    int seconds = args.Length > 3 ? int.Parse(args[3]) : 10;
    return await SigningUnderFlood.RunAsync(signers, flooders, TimeSpan.FromSeconds(seconds), args.Length > 4 && args[4] == "unlimited");
}
if (args.Length > 0 && args[0] == "load")
{
    int concurrency = args.Length > 1 ? int.Parse(args[1]) : 8;
    int seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
    return await SignEndpointLoad.RunAsync(concurrency, TimeSpan.FromSeconds(seconds));
}
if (args.Length > 0 && args[0] == "warm")
    return await WarmAgentSignBenchmarks.MeasureAsync(args.Length > 1 ? int.Parse(args[1]) : 2000);
if (args.Length > 0 && args[0] == "limits")
    return await ExactLimitRun.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 5);
if (args.Length > 0 && args[0] == "policy")
    return PolicyBenchmarks.MeasureCpuTime(args.Length > 1 ? int.Parse(args[1]) : 20000);
if (args.Length > 1 && args[0] == "cpu")
{
    // `cpu <Keystore.dll>[,<Keystore.dll>…] [concurrency] [seconds]`: server-process CPU per sign request, one build after the other.
    int concurrency = args.Length > 2 ? int.Parse(args[2]) : 16;
    int seconds = args.Length > 3 ? int.Parse(args[3]) : 10;
    return await ServerCpuLoad.RunAsync(args[1].Split(','), concurrency, TimeSpan.FromSeconds(seconds));
}
if (args.Length > 1 && args[0] == "cpu-floor")
{
    // `cpu-floor <Keystore.dll>[,<Keystore.dll>…] [concurrency] [seconds]`: a bare GET, an authenticated read and the sign request.
    int concurrency = args.Length > 2 ? int.Parse(args[2]) : 16;
    int seconds = args.Length > 3 ? int.Parse(args[3]) : 10;
    return await ServerCpuLoad.RunFloorAsync(args[1].Split(','), concurrency, TimeSpan.FromSeconds(seconds));
}
if (args.Length > 1 && args[0] == "cpu-batch")
{
    // `cpu-batch <Keystore.dll>[,<Keystore.dll>…] [concurrency] [seconds] [items]`: the same, then per signed item of sign-batch.
    int concurrency = args.Length > 2 ? int.Parse(args[2]) : 16;
    int seconds = args.Length > 3 ? int.Parse(args[3]) : 10;
    int items = args.Length > 4 ? int.Parse(args[4]) : 16;
    return await ServerCpuLoad.RunBatchAsync(args[1].Split(','), concurrency, TimeSpan.FromSeconds(seconds), items);
}
if (args.Length > 1 && args[0] == "cpu-batch-only")
{
    // `cpu-batch-only <Keystore.dll>[,<Keystore.dll>…] [concurrency] [seconds] [items] [rounds]`: per signed item of
    // sign-batch only, the builds taking turns for `rounds` rounds (A B A B …), so a noisy machine weighs on each alike.
    int concurrency = args.Length > 2 ? int.Parse(args[2]) : 16;
    int seconds = args.Length > 3 ? int.Parse(args[3]) : 10;
    int items = args.Length > 4 ? int.Parse(args[4]) : 16;
    int rounds = args.Length > 5 ? int.Parse(args[5]) : 1;
    return await ServerCpuLoad.RunBatchOnlyAsync(args[1].Split(','), concurrency, TimeSpan.FromSeconds(seconds), items, rounds);
}
BenchmarkSwitcher.FromAssembly(typeof(DerivationBenchmarks).Assembly).Run(args);
return 0;
