using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/LocalNear.Benchmarks -- --filter '*' --job short \
//     --artifacts bench/LocalNear.Benchmarks/BenchmarkDotNet.Artifacts
// Needs the contracts built (contracts/out/tee_dao.wasm, see contracts/build.sh); LOCALNEAR_WASM_DIR overrides where.
BenchmarkSwitcher.FromAssembly(typeof(Keystore.LocalNear.Benchmarks.KeystoreChainBenchmarks).Assembly).Run(args);
