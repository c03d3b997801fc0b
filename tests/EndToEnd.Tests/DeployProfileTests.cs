using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.EndToEnd.Tests.Support;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The testnet profile (dstack/testnet.env) and contracts/deploy.sh, proven on a local chain shaped like testnet: the
/// MPC contract is named <c>v1.signer-prod.testnet</c> and serves CKD on a domain other than the usual 2, the DAO and
/// chain-keys accounts are the profile's, and deploy.sh runs the npm near-cli 4 against it as an operator would.
/// Nothing here reaches testnet itself.
/// </summary>
public sealed class DeployProfileTests
{
    private const string Profile = "dstack/testnet.env";
    private const string Mpc = "v1.signer-prod.testnet";

    /// <summary>Not 2, so a domain id hard-coded anywhere on the way shows up as a failure.</summary>
    private const uint CkdDomain = 7;

    [Fact]
    public async Task Deploy_sh_initialises_both_contracts_with_the_MPC_domain_it_discovers_and_a_second_run_changes_nothing()
    {
        IReadOnlyDictionary<string, string> profile = ReadProfile();
        await using LocalChainHost chain = await StartTestnetShapedChainAsync(profile);
        string dao = profile["Keystore__Near__DaoContractId"];
        string chainKeys = profile["DEPLOY_CHAIN_KEYS_ACCOUNT"];

        ShellScript.Result first = await DeployAsync(chain, profile);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"deploy: {Mpc} serves CKD on domain {CkdDomain}", first.StdErr);
        Assert.Contains("deploy: done", first.StdOut);
        // The MPC key to pin, as the chain's public_key view gives it for the discovered domain.
        string mpcKey = (await chain.Rpc.CallFunctionJsonAsync(Mpc, "public_key", $"{{\"domain_id\":{CkdDomain}}}"))!.GetValue<string>();
        Assert.Contains($"Keystore__Near__MpcPublicKey={mpcKey}", first.StdErr);

        JsonNode config = (await chain.Rpc.CallFunctionJsonAsync(dao, "get_config", "{}"))!;
        Assert.Equal(Mpc, config["mpc_contract_id"]!.GetValue<string>());
        Assert.Equal(CkdDomain, config["ckd_domain_id"]!.GetValue<uint>());
        Assert.Equal(chainKeys, config["chain_keys_contract_id"]!.GetValue<string>());
        Assert.Equal(profile["DEPLOY_COUNCIL"].Split(','), config["council"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(dao, (await chain.Rpc.CallFunctionJsonAsync(chainKeys, "get_config", "{}"))!["dao_contract_id"]!.GetValue<string>());

        // The second run reads, compares and sends nothing: the accounts' key nonces stay where they were.
        ulong[] nonces = await NoncesAsync(chain, dao, chainKeys);
        ShellScript.Result second = await DeployAsync(chain, profile);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("deploy: nothing to change", second.StdOut);
        Assert.DoesNotContain("+ near", second.StdErr);
        Assert.Equal(nonces, await NoncesAsync(chain, dao, chainKeys));

        // A different configuration is never applied over a live DAO: that is the council's business.
        ShellScript.Result changed = await DeployAsync(chain, profile, "--threshold", "3");
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains($"deploy: {dao} is already initialised differently (threshold: deployed 2, asked 3)", changed.StdErr);
        Assert.Equal(nonces, await NoncesAsync(chain, dao, chainKeys));
    }

    [Fact]
    public async Task A_keystore_configured_by_the_testnet_profile_boots_through_a_dead_RPC_endpoint_and_the_discovered_CKD_domain_with_the_MPC_key_deploy_sh_printed_pinned()
    {
        IReadOnlyDictionary<string, string> profile = ReadProfile();
        await using LocalChainHost chain = await StartTestnetShapedChainAsync(profile);
        ShellScript.Result deployed = await DeployAsync(chain, profile);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());

        // The council approves the simulator's measurements the way the local network does (already-deployed
        // contracts are left alone by the bootstrapper).
        await new KeystoreNetworkBootstrapper(chain.Rpc, chain.Key, new KeystoreNetworkSettings
        {
            WasmDirectory = RepoPaths.ContractsOut,
            DaoAccountId = profile["Keystore__Near__DaoContractId"],
            ChainKeysAccountId = profile["DEPLOY_CHAIN_KEYS_ACCOUNT"],
            MpcAccountId = Mpc,
            CkdDomainId = (int)CkdDomain,
            Council = profile["DEPLOY_COUNCIL"].Split(','),
            Threshold = int.Parse(profile["DEPLOY_THRESHOLD"], System.Globalization.CultureInfo.InvariantCulture),
        }).RunAsync();

        // The profile's Keystore settings as they are, except what only a real CVM and the real testnet have:
        // the TEE (simulated here), the RPC endpoints (the first one refuses connections, the second is this chain)
        // and a registrar account to pay for the registration.
        var settings = profile.Where(p => p.Key.StartsWith("Keystore__", StringComparison.Ordinal))
            .ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value);
        foreach (string key in settings.Keys.Where(k => k.StartsWith("Keystore:Near:RpcUrls:", StringComparison.Ordinal)).ToList())
            settings.Remove(key);
        settings["Keystore:Tee:Provider"] = "simulator";
        settings["Keystore:Near:RpcUrls:0"] = "http://127.0.0.1:1/";
        settings["Keystore:Near:RpcUrls:1"] = chain.Url.ToString();
        settings["Keystore:Near:RequestTimeout"] = "00:02:00";
        settings["Keystore:Near:RegistrarAccountId"] = "testnet";
        settings["Keystore:Near:RegistrarCredentialsFile"] = chain.CredentialsFile("testnet");
        // The pin deploy.sh printed, as an operator would put it in the profile.
        string pinLine = deployed.StdErr.Split('\n').Single(l => l.Contains("Keystore__Near__MpcPublicKey=", StringComparison.Ordinal));
        settings["Keystore:Near:MpcPublicKey"] = pinLine[(pinLine.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();

        await using KeystoreNode keystore = await KeystoreNode.StartAsync(settings);
        await keystore.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        JsonNode address = await keystore.GetJsonAsync("/v1/accounts/council-a.example.testnet/keys/bitcoin");
        Assert.StartsWith("tb1p", address["address"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> ReadProfile() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, Profile))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    /// <summary>The profile's accounts, an MPC signer named as testnet's on a non-default domain, and a funded root.</summary>
    private static async Task<LocalChainHost> StartTestnetShapedChainAsync(IReadOnlyDictionary<string, string> profile)
    {
        string directory = Directory.CreateTempSubdirectory("testnet-shaped-").FullName;
        string[] accounts = [profile["Keystore__Near__DaoContractId"], profile["DEPLOY_CHAIN_KEYS_ACCOUNT"], .. profile["DEPLOY_COUNCIL"].Split(',')];
        var genesis = new JsonObject
        {
            ["root_account"] = "testnet",
            ["accounts"] = new JsonArray(
            [
                new JsonObject { ["account_id"] = "testnet", ["balance"] = (LocalChainHost.OneNear * 1_000_000).ToString() },
                new JsonObject { ["account_id"] = Mpc, ["balance"] = (LocalChainHost.OneNear * 1_000).ToString(), ["native_contract"] = "mpc-signer" },
                .. accounts.Select(a => (JsonNode)new JsonObject { ["account_id"] = a, ["balance"] = (LocalChainHost.OneNear * 1_000).ToString() }),
            ]),
        };
        string genesisFile = Path.Combine(directory, "genesis.json");
        await File.WriteAllTextAsync(genesisFile, genesis.ToJsonString());
        LocalChainHost chain = await LocalChainHost.StartAsync(o =>
        {
            o.GenesisFile = genesisFile;
            o.Mpc.DomainId = CkdDomain;
        }, Path.Combine(directory, "chain"), rpcAttempts: 2);

        // near-cli 4 calls a chain at a custom RPC "custom" and reads its keys from ~/.near-credentials/custom.
        string custom = Path.Combine(directory, "home", ".near-credentials", "custom");
        Directory.CreateDirectory(custom);
        foreach (string account in accounts)
            File.Copy(chain.CredentialsFile(account), Path.Combine(custom, account + ".json"));
        return chain;
    }

    private static Task<ShellScript.Result> DeployAsync(LocalChainHost chain, IReadOnlyDictionary<string, string> profile, params string[] extra)
    {
        string home = Path.Combine(Path.GetDirectoryName(chain.Directory)!, "home");
        string root = Convert.ToHexStringLower(new SimulatedTdxProvider(SimulatedTdxOptions.LocalDevelopment).RootCaDer);
        return ShellScript.RunAsync("contracts/deploy.sh",
            ["--profile", Profile, "--network", "custom", "--rpc", chain.Url.ToString(), "--root-ca-der-hex", root,
             "--wasm-dir", RepoPaths.ContractsOut, .. extra],
            new Dictionary<string, string> { ["HOME"] = home }, TimeSpan.FromMinutes(5));
    }

    private static async Task<ulong[]> NoncesAsync(LocalChainHost chain, params string[] accounts)
    {
        var nonces = new List<ulong>();
        foreach (string account in accounts)
            nonces.Add((await chain.Rpc.ViewAccessKeyAsync(account, chain.Key(account).PublicKey)).Nonce);
        return [.. nonces];
    }
}
