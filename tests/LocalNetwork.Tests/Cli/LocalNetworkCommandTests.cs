using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.LocalNear.Genesis;
using Keystore.LocalNear.Hosting;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.LocalNetwork.Cli;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNetwork.Tests.Cli;

/// <summary>
/// The bootstrapper as run.sh runs it: a separate program that finds a running local chain over JSON-RPC and signs
/// with the NEAR CLI credentials that chain wrote, never with the chain's in-process keys.
/// </summary>
public sealed class LocalNetworkCommandTests
{
    private const string EmptyCodeHash = "11111111111111111111111111111111";

    [Fact]
    public async Task A_running_chain_becomes_a_keystore_network_from_its_credentials_and_a_second_run_changes_nothing()
    {
        await using LocalChainHost chain = await LocalChainHost.StartAsync();
        var options = new LocalNetworkOptions { RpcUrl = chain.Url, CredentialsDir = chain.CredentialsDir, WasmDir = RepoPaths.ContractsOut };
        NearRpcClient rpc = chain.Rpc;

        var (code, output, log) = await RunAsync(options);
        Assert.True(code == 0, string.Join('\n', log));
        Assert.Contains(LocalNetworkCommand.ReadyLine + ": tee-dao at dao.test.near", output);

        // tee-dao pins the simulator's root (not Intel's) and the council voted the simulator's measurements in.
        var settings = new KeystoreNetworkSettings { WasmDirectory = options.WasmDir };
        JsonNode config = (await rpc.CallFunctionJsonAsync("dao.test.near", "get_config", "{}"))!;
        byte[] simulatorRoot = new SimulatedTdxProvider(settings.Simulator).RootCaDer;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(simulatorRoot)), config["root_ca_sha256"]!.GetValue<string>());
        Assert.False(config["root_ca_is_intel"]!.GetValue<bool>());
        // The OS set (MRTD, RTMR0–2, digest of the key-provider event) and the compose hash, computed here independently:
        // the digest as dstack defines it, the hash of the repository's dstack/app-compose.json as dstack hashes the file.
        JsonArray approvedOs = (await rpc.CallFunctionJsonAsync("dao.test.near", "list_os_measurements", "{}"))!.AsArray();
        SimulatedTdxOptions simulator = settings.Simulator;
        byte[] keyProviderDigest = SHA384.HashData([.. BitConverter.GetBytes(0x08000001u), .. ":key-provider:"u8, .. System.Text.Encoding.UTF8.GetBytes(simulator.KeyProvider)]);
        JsonNode os = Assert.Single(approvedOs)!;
        Assert.Equal(Convert.ToHexStringLower(simulator.Mrtd), os["mrtd"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(simulator.Rtmr2), os["rtmr2"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(keyProviderDigest), os["key_provider_digest"]!.GetValue<string>());
        Assert.Null(os["rtmr3"]);
        JsonArray approvedCompose = (await rpc.CallFunctionJsonAsync("dao.test.near", "list_compose_hashes", "{}"))!.AsArray();
        string composeFileHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(RepoPaths.Root, "dstack", "app-compose.json"))));
        Assert.Equal(composeFileHash, Assert.Single(approvedCompose)!.GetValue<string>());
        AccountView chainKeys = await rpc.ViewAccountAsync("chain-keys.test.near");
        Assert.NotEqual(EmptyCodeHash, chainKeys.CodeHash);
        JsonArray proposals = (await rpc.CallFunctionJsonAsync("dao.test.near", "list_proposals", "{}"))!.AsArray();

        // Again on the same chain: ready, without a redeploy or a new proposal.
        (code, output, log) = await RunAsync(options);
        Assert.True(code == 0, string.Join('\n', log));
        Assert.Contains(LocalNetworkCommand.ReadyLine, output);
        Assert.Contains(log, l => l.Contains("already has a contract", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("already approved", StringComparison.Ordinal));
        Assert.Equal(chainKeys.CodeHash, (await rpc.ViewAccountAsync("chain-keys.test.near")).CodeHash);
        Assert.Equal(proposals.Count, (await rpc.CallFunctionJsonAsync("dao.test.near", "list_proposals", "{}"))!.AsArray().Count);
    }

    [Fact]
    public async Task Without_the_contract_build_it_fails_and_says_how_to_build_it()
    {
        await using LocalChainHost chain = await LocalChainHost.StartAsync();
        string emptyWasmDir = Directory.CreateDirectory(Path.Combine(chain.Directory, "no-wasm")).FullName;

        var (code, output, log) = await RunAsync(new LocalNetworkOptions { RpcUrl = chain.Url, CredentialsDir = chain.CredentialsDir, WasmDir = emptyWasmDir });
        Assert.Equal(1, code);
        Assert.DoesNotContain(LocalNetworkCommand.ReadyLine, output);
        Assert.Contains(log, l => l.StartsWith("Critical:", StringComparison.Ordinal) && l.Contains("contracts/build.sh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_chain_it_gives_up_after_the_wait_timeout_naming_the_url()
    {
        // A port that was free a moment ago: nothing answers there.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = new Uri($"http://127.0.0.1:{port}/");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (code, output, log) = await RunAsync(new LocalNetworkOptions { RpcUrl = url, WasmDir = RepoPaths.Root, ChainWaitTimeout = TimeSpan.FromSeconds(1) });
        Assert.Equal(1, code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.DoesNotContain(LocalNetworkCommand.ReadyLine, output);
        Assert.Contains(log, l => l.StartsWith("Critical:", StringComparison.Ordinal) && l.Contains(url.ToString(), StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Output, IReadOnlyCollection<string> Log)> RunAsync(LocalNetworkOptions options)
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(recorder));
        var output = new StringWriter();
        int code = await LocalNetworkCommand.RunAsync(options, output, loggers);
        return (code, output.ToString(), recorder.Lines.ToArray());
    }
}
