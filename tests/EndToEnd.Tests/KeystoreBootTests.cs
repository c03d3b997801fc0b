using System.Net;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.EndToEnd.Tests.Support;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Transactions;
using Xunit.Abstractions;

namespace Keystore.EndToEnd.Tests;

/// <summary>The whole boot on the local chain: quote → register_worker_key → request_master_secret → ready.</summary>
public sealed class KeystoreBootTests(NetworkFixture fixture, ITestOutputHelper output) : IClassFixture<NetworkFixture>
{
    private LocalKeystoreNetwork Net => fixture.Network;

    [Fact]
    public async Task A_keystore_boots_to_ready_and_its_attestation_is_the_worker_the_DAO_recorded()
    {
        await using KeystoreNode keystore = await Net.StartKeystoreAsync();

        JsonNode ready = await keystore.GetJsonAsync("/v1/ready");
        Assert.Equal("ckd", ready["masterSecretSource"]!.GetValue<string>());
        Assert.Equal(["worker-key", "attest", "register", "master-secret", "state", "audit"], ready["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(ready["steps"]!.AsArray(), s => Assert.Equal("done", s!["state"]!.GetValue<string>()));
        Assert.True(ready["tee"]!["simulated"]!.GetValue<bool>());
        Assert.True(ready["tee"]!["registered"]!.GetValue<bool>());

        JsonNode attestation = await keystore.GetJsonAsync("/v1/attestation");
        string workerKey = attestation["workerPublicKey"]!.GetValue<string>();
        JsonNode worker = (await Net.ViewAsync(LocalKeystoreNetwork.Dao, "get_worker", new JsonObject { ["public_key"] = workerKey }))!;
        Assert.Equal(workerKey, worker["public_key"]!.GetValue<string>());
        Assert.Equal(attestation["rtmr3"]!.GetValue<string>(), worker["measurements"]!["rtmr3"]!.GetValue<string>());
        Assert.True(worker["measurements_approved"]!.GetValue<bool>());
        Assert.Equal("UpToDate", worker["tcb_status"]!.GetValue<string>());
        Assert.Equal(worker["compose_hash"]!.GetValue<string>(), KeystoreNetworkBootstrapper.ComposeHash(SimulatedTdxOptions.LocalDevelopment));
        Assert.Equal("UpToDate", ready["tee"]!["tcb"]!["status"]!.GetValue<string>());
        // Operators see the same on /metrics: the status the DAO's DCAP verification found at registration.
        string[] metrics = (await keystore.Client.GetStringAsync("/metrics")).Split('\n');
        Assert.Contains("keystore_tcb_status{status=\"UpToDate\"} 1", metrics);
        Assert.Contains("keystore_tcb_status{status=\"OutOfDate\"} 0", metrics);

        // The DAO gave the worker a function-call key on its own account, for its worker methods only.
        AccessKeyView key = await Net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, Ed25519PublicKey.Parse(workerKey));
        var permission = Assert.IsType<FunctionCallPermission>(key.Permission);
        Assert.Equal(LocalKeystoreNetwork.Dao, permission.ReceiverId);
        Assert.Equal(["anchor_audit_head", "register_binding", "request_master_secret", "worker_heartbeat"], permission.MethodNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_DaoContractId_naming_no_account_fails_the_register_step_once_with_the_reason()
    {
        // A misconfigured Keystore:Near:DaoContractId: the chain answers UNKNOWN_ACCOUNT, which no retry can change.
        await using KeystoreNode keystore = await Net.StartKeystoreAsync(
            new Dictionary<string, string?> { ["Keystore:Near:DaoContractId"] = "no-such-dao.test.near" }, waitUntilReady: false);
        await keystore.WaitForReadyBodyAsync(b => b["steps"]?.AsArray().Any(s =>
            s!["name"]!.GetValue<string>() == "register" && s["state"]!.GetValue<string>() == "failed") == true, TimeSpan.FromMinutes(2));
        // Longer than the boot's first backoff (0.5 s + jitter): a retry would have made a second attempt by now.
        await Task.Delay(TimeSpan.FromSeconds(3));

        using HttpResponseMessage response = await keystore.Client.GetAsync("/v1/ready");
        string text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        JsonNode ready = JsonNode.Parse(text)!;
        JsonNode register = Step(ready, "register");
        Assert.Equal("failed", register["state"]!.GetValue<string>());
        Assert.Equal(1, register["attempts"]!.GetValue<int>());
        Assert.Equal("NEAR RPC: Account no-such-dao.test.near does not exist.", register["lastError"]!.GetValue<string>());
        Assert.Equal("pending", Step(ready, "master-secret")["state"]!.GetValue<string>());
        Assert.Contains("Boot step 'register' is failed (tee-dao 'no-such-dao.test.near'); last error: NEAR RPC: Account no-such-dao.test.near does not exist.",
            ready["detail"]!.GetValue<string>());
        Assert.False(ready["tee"]!["registered"]!.GetValue<bool>());
    }

    private static JsonNode Step(JsonNode ready, string name) => ready["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == name)!;

    [Fact]
    public async Task Restarts_and_parallel_instances_are_new_workers_with_the_same_master_secret()
    {
        string[] chains = ["ethereum", "bitcoin", "solana"];
        string worker1, worker2, worker3;
        string[] first, second, third;

        await using (KeystoreNode a = await Net.StartKeystoreAsync())
        {
            worker1 = (await a.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>();
            first = await AddressesAsync(a, chains);
            // A second instance at the same time, on the same DAO.
            await using KeystoreNode b = await Net.StartKeystoreAsync();
            worker2 = (await b.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>();
            second = await AddressesAsync(b, chains);
        }
        // A restart: a fresh process, a fresh worker key, the very same secret from NEAR.
        await using (KeystoreNode c = await Net.StartKeystoreAsync())
        {
            worker3 = (await c.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>();
            third = await AddressesAsync(c, chains);
        }

        Assert.Equal(3, new[] { worker1, worker2, worker3 }.Distinct().Count());
        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.StartsWith("0x", first[0]);
        Assert.StartsWith("bcrt1p", first[1]);
    }

    [Fact]
    public async Task The_keystores_secret_is_what_an_independent_CKD_client_gets_for_the_DAO()
    {
        // A worker driven by hand: registered with the DAO like a keystore, then CKD through the DAO
        // with the NEAR library's client — the secret it obtains must give the keystore's addresses.
        using var worker = new TestWorker();
        ExecutionOutcome registered = await Net.Sender(LocalKeystoreNetwork.Root).FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "register_worker_key", (await worker.RegistrationArgsAsync()).ToJsonString(), 300 * LocalKeystoreNetwork.Tgas, 0);
        output.WriteLine($"register_worker_key: {GasLedger.Record("tee-dao.register_worker_key", registered) / 1e12:0.00} Tgas");

        var dao = new Keystore.Dao.TeeDaoClient(Net.Rpc, LocalKeystoreNetwork.Dao);
        var config = await dao.GetConfigAsync(CancellationToken.None);
        var transport = new Keystore.Near.Ckd.NearCkdTransport(worker.DaoSender(Net.Rpc), LocalKeystoreNetwork.Dao,
            gas: 150 * LocalKeystoreNetwork.Tgas, deposit: 0);
        var client = new Keystore.Near.Ckd.CkdClient(transport,
            new NearRpcMpcPublicKeySource(Net.Rpc, config.MpcContractId, config.CkdDomainId), LocalKeystoreNetwork.Dao, config.CkdPath);
        byte[] secret;
        using (Keystore.Near.Ckd.CkdSecret derived = await client.DeriveSecretAsync())
            secret = derived.Span.ToArray();

        await using KeystoreNode ckd = await Net.StartKeystoreAsync();
        await using KeystoreNode backup = await KeystoreNode.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:Tee:Provider"] = "none",
            ["Keystore:MasterSecret:Source"] = "backup",
            ["Keystore:MasterSecret:BackupHex"] = Convert.ToHexStringLower(secret),
            ["Keystore:Bitcoin:Network"] = "regtest",
        });
        await backup.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        string[] chains = ["ethereum", "bitcoin", "solana"];
        Assert.Equal(await AddressesAsync(ckd, chains, "carol.test.near"), await AddressesAsync(backup, chains, "carol.test.near"));
        Assert.Equal(32, secret.Length);
    }

    [Fact]
    public async Task The_first_address_request_publishes_the_binding_in_chain_keys()
    {
        await using KeystoreNode keystore = await Net.StartKeystoreAsync();
        string workerKey = (await keystore.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>();
        const string account = "bob.test.near";
        // Anyone may read an address, but that publishes nothing: it would spend the DAO's gas for whoever asks.
        JsonNode anonymous = await keystore.GetJsonAsync($"/v1/accounts/{account}/keys/ethereum");
        Assert.Equal("unchecked", anonymous["binding"]!["state"]!.GetValue<string>());
        Assert.Empty((await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "get_bindings", new JsonObject { ["account_id"] = account }))!.AsArray());

        // The owner's signed request publishes.
        var expected = new Dictionary<string, string>();
        foreach (string chain in new[] { "ethereum", "solana", "bitcoin" })
        {
            string path = $"/v1/accounts/{account}/keys/{chain}";
            using HttpResponseMessage response = await keystore.Client.SendAsync(KeystoreNode.SignedGet(path, account, Net.Key(account)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonNode first = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("pending", first["binding"]!["state"]!.GetValue<string>());
            Assert.Equal(LocalKeystoreNetwork.ChainKeys, first["binding"]!["registry"]?.GetValue<string>());
            expected[chain] = first["address"]!.GetValue<string>();
        }
        foreach (string chain in expected.Keys)
        {
            JsonNode status = await PollAsync(() => keystore.GetJsonAsync($"/v1/accounts/{account}/keys/{chain}"),
                k => k["binding"]!["state"]!.GetValue<string>() is "registered" or "failed");
            Assert.Equal("registered", status["binding"]!["state"]!.GetValue<string>());
            Assert.Equal(LocalKeystoreNetwork.ChainKeys, status["binding"]!["registry"]!.GetValue<string>());
        }

        JsonArray bindings = (await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "get_bindings", new JsonObject { ["account_id"] = account }))!.AsArray();
        Assert.Equal(3, bindings.Count);
        foreach (JsonNode? b in bindings)
        {
            Assert.Equal(expected[b!["chain"]!.GetValue<string>()], b["address"]!.GetValue<string>());
            Assert.Equal("tdx", b["tee_attestation"]!["tee_type"]!.GetValue<string>());
            Assert.Equal(workerKey, b["tee_attestation"]!["worker_public_key"]!.GetValue<string>());
        }
        JsonNode found = (await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "lookup_address", new JsonObject { ["address"] = expected["ethereum"] }))!;
        Assert.Equal(account, found["account_id"]!.GetValue<string>());
        // EVM addresses match whatever their capitalisation: as wallets and explorers write them, lower or upper case.
        foreach (string variant in new[] { expected["ethereum"].ToLowerInvariant(), "0x" + expected["ethereum"][2..].ToUpperInvariant() })
            Assert.Equal(account, (await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "lookup_address", new JsonObject { ["address"] = variant }))!["account_id"]!.GetValue<string>());
        // Base58 and bech32 addresses are not folded: another case is another (or no) address.
        Assert.Null(await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "lookup_address", new JsonObject { ["address"] = expected["solana"].ToUpperInvariant() }));
    }

    [Fact]
    public async Task An_owner_cannot_spend_the_DAO_allowance_past_the_hourly_publication_budget()
    {
        await using KeystoreNode keystore = await Net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Near:BindingPublishesPerAccountPerHour"] = "2",
        });
        const string account = "carol.test.near";
        var states = new List<JsonNode>();
        foreach (int index in new[] { 20, 21, 22 })
        {
            string path = $"/v1/accounts/{account}/keys/ethereum/publish?index={index}";
            using HttpResponseMessage response = await keystore.Client.SendAsync(KeystoreNode.SignedPost(path, "", account, Net.Key(account)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            states.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["binding"]!);
        }
        Assert.Equal(["pending", "pending", "failed"], states.Select(s => s["state"]!.GetValue<string>()));
        Assert.StartsWith("Publication budget used up (at most 2 an hour for an account", states[2]["error"]!.GetValue<string>());

        foreach (int index in new[] { 20, 21 })
        {
            JsonNode status = await PollAsync(() => keystore.GetJsonAsync($"/v1/accounts/{account}/keys/ethereum?index={index}"),
                k => k["binding"]!["state"]!.GetValue<string>() is "registered" or "failed");
            Assert.Equal("registered", status["binding"]!["state"]!.GetValue<string>());
        }
        // Only the two within budget reached NEAR.
        JsonArray bindings = (await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "get_bindings", new JsonObject { ["account_id"] = account }))!.AsArray();
        Assert.Equal([20u, 21u], bindings.Select(b => b!["index"]!.GetValue<uint>()).Order());
    }

    [Fact]
    public async Task Chain_keys_recomputes_Ethereum_and_Solana_addresses_and_refuses_a_wrong_one()
    {
        using var worker = new TestWorker();
        await Net.Sender(LocalKeystoreNetwork.Root).FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "register_worker_key", (await worker.RegistrationArgsAsync()).ToJsonString(), 300 * LocalKeystoreNetwork.Tgas, 0);
        var dao = new Keystore.Dao.TeeDaoClient(Net.Rpc, LocalKeystoreNetwork.Dao);

        // This keystore publishes nothing itself: the test sends each binding by hand.
        await using KeystoreNode keystore = await Net.StartKeystoreAsync(new Dictionary<string, string?> { ["Keystore:Near:RegisterBindings"] = "false" });
        JsonNode eth = await keystore.GetJsonAsync("/v1/accounts/dave.test.near/keys/ethereum?index=7");
        Assert.Equal("disabled", eth["binding"]!["state"]!.GetValue<string>());
        JsonNode sol = await keystore.GetJsonAsync("/v1/accounts/dave.test.near/keys/solana?index=7");

        // The real pair with a wrong address (another account's): chain-keys recomputes and refuses.
        JsonNode other = await keystore.GetJsonAsync("/v1/accounts/erin.test.near/keys/ethereum?index=7");
        var refused = await Assert.ThrowsAsync<TransactionFailedException>(() => dao.RegisterBindingAsync(worker.DaoSender(Net.Rpc),
            "dave.test.near", "ethereum", 8, eth["publicKey"]!.GetValue<string>(), other["address"]!.GetValue<string>(), CancellationToken.None));
        Assert.Contains($"address does not match public_key (expected EIP-55 {eth["address"]!.GetValue<string>()})", refused.FailureMessage);
        var refusedSol = await Assert.ThrowsAsync<TransactionFailedException>(() => dao.RegisterBindingAsync(worker.DaoSender(Net.Rpc),
            "dave.test.near", "solana", 8, sol["publicKey"]!.GetValue<string>(), "11111111111111111111111111111111", CancellationToken.None));
        Assert.Contains("address does not match public_key (expected base58 of the key)", refusedSol.FailureMessage);
        Assert.Null(await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "get_binding",
            new JsonObject { ["account_id"] = "dave.test.near", ["chain"] = "ethereum", ["index"] = 8 }));

        // The right ones, sent by hand through the DAO, land.
        ExecutionOutcome ok = await dao.RegisterBindingAsync(worker.DaoSender(Net.Rpc), "dave.test.near", "ethereum", 9,
            eth["publicKey"]!.GetValue<string>(), eth["address"]!.GetValue<string>(), CancellationToken.None);
        output.WriteLine($"register_binding: {GasLedger.Record("tee-dao.register_binding", ok) / 1e12:0.00} Tgas");
        JsonNode binding = (await Net.ViewAsync(LocalKeystoreNetwork.ChainKeys, "get_binding",
            new JsonObject { ["account_id"] = "dave.test.near", ["chain"] = "ethereum", ["index"] = 9 }))!;
        Assert.Equal(eth["address"]!.GetValue<string>(), binding["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Owners_are_authenticated_with_their_full_access_keys_read_from_the_chain()
    {
        await using KeystoreNode keystore = await Net.StartKeystoreAsync();
        const string path = "/v1/accounts/alice.test.near/sign/ethereum";
        using HttpResponseMessage ok = await keystore.Client.SendAsync(
            KeystoreNode.SignedPost(path, """{"message":"hello from alice"}""", LocalKeystoreNetwork.Owner, Net.Key(LocalKeystoreNetwork.Owner)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("signature", await ok.Content.ReadAsStringAsync());

        // Bob's genuine key is not a key of alice's account on chain.
        using HttpResponseMessage refused = await keystore.Client.SendAsync(
            KeystoreNode.SignedPost(path, """{"message":"hello from alice"}""", LocalKeystoreNetwork.Owner, Net.Key("bob.test.near")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("\"signature\"", await refused.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> AddressesAsync(KeystoreNode node, string[] chains, string account = "alice.test.near")
    {
        var result = new List<string>();
        foreach (string chain in chains)
            result.Add((await node.GetJsonAsync($"/v1/accounts/{account}/keys/{chain}"))["address"]!.GetValue<string>());
        return result.ToArray();
    }

    private static async Task<JsonNode> PollAsync(Func<Task<JsonNode>> get, Func<JsonNode, bool> until)
    {
        JsonNode last = new JsonObject();
        for (int i = 0; i < 600; i++)
        {
            last = await get();
            if (until(last)) return last;
            await Task.Delay(100);
        }
        throw new TimeoutException(last.ToJsonString());
    }
}
