using System.Diagnostics;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.EndToEnd.Tests.Support;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Transactions;
using Xunit.Abstractions;

namespace Keystore.EndToEnd.Tests;

/// <summary>What the DAO refuses, and what a council vote takes away. Each test gets its own chain.</summary>
public sealed class GovernanceTests(ITestOutputHelper output)
{
    private const ulong Tgas = LocalKeystoreNetwork.Tgas;

    [Fact]
    public async Task Tampered_quotes_unapproved_measurements_and_non_workers_are_refused_on_chain()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        TransactionSender registrar = net.Sender(LocalKeystoreNetwork.Root);

        // One flipped byte inside the signed TD report: the on-chain DCAP check fails.
        using var tampered = new TestWorker();
        JsonObject args = await tampered.RegistrationArgsAsync(q => q[48 + 200] ^= 0x01);
        var e1 = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao, "register_worker_key", args.ToJsonString(), 300 * Tgas, 0));
        output.WriteLine("tampered quote: " + e1.FailureMessage);
        // The reason, not just a failure: the DAO's DCAP check rejects the quote's own ECDSA signature.
        Assert.Contains("quote verification failed: quote signature is invalid", e1.FailureMessage);
        Assert.False(await IsWorkerAsync(net, tampered.Key.PublicKey));

        // A genuine quote of a TD running another app-compose document: its compose hash is not approved.
        using var rogue = new TestWorker(SimulatedTdxOptions.LocalDevelopment with { AppCompose = """{"manifest_version":2,"name":"rogue"}""" });
        var e2 = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao, "register_worker_key", args2(rogue).Result.ToJsonString(), 300 * Tgas, 0));
        output.WriteLine("unapproved compose hash: " + e2.FailureMessage);
        Assert.Contains($"compose hash {Convert.ToHexStringLower(rogue.Simulator.Pki.Options.ComposeHash)} is not approved", e2.FailureMessage);
        Assert.False(await IsWorkerAsync(net, rogue.Key.PublicKey));

        // A full-access key of another account asking for the master secret: not a worker.
        G1Point a = G1Point.Generator.Multiply(Scalar.Random());
        var e3 = await Assert.ThrowsAsync<TransactionFailedException>(() => registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "request_master_secret", new JsonObject { ["app_public_key"] = BlsKeyText.Encode(a) }.ToJsonString(), 150 * Tgas, 0));
        output.WriteLine("non-worker: " + e3.FailureMessage);
        Assert.Contains("worker methods must be called with a worker access key of this account", e3.FailureMessage);

        static Task<JsonObject> args2(TestWorker w) => w.RegistrationArgsAsync();
    }

    /// <summary>Issue 10: with more than 100 workers the old per-worker revocation exceeded NEAR's 100 logs a receipt.</summary>
    private const int ExtraWorkers = 1_000;

    [Fact]
    public async Task Revocation_with_a_thousand_workers_executes_in_one_vote_and_the_running_keystore_stops_signing()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Near:RevocationCheckInterval"] = "00:00:00.200",
        });
        var workerKey = Ed25519PublicKey.Parse((await keystore.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>());
        const string signPath = "/v1/accounts/alice.test.near/sign/ethereum";
        using (HttpResponseMessage signed = await keystore.Client.SendAsync(
            KeystoreNode.SignedPost(signPath, """{"message":"before"}""", LocalKeystoreNetwork.Owner, net.Key(LocalKeystoreNetwork.Owner))))
            Assert.Equal(System.Net.HttpStatusCode.OK, signed.StatusCode);

        // A thousand more workers, each with its own quote through the full register_worker_key (on-chain DCAP).
        // Worker #1 and worker #1000 must cost the same: the index no longer grows inside one storage value.
        using var first = new TestWorker();
        using var last = new TestWorker();
        // Four registrars in parallel (one nonce sequence each): quotes and RPC overlap, the chain runs one receipt at a time.
        TransactionSender[] registrars = [.. new[] { LocalKeystoreNetwork.Root, "alice.test.near", "bob.test.near", "carol.test.near" }.Select(net.Sender)];
        var clock = Stopwatch.StartNew();
        var gas = new ulong[ExtraWorkers];
        await Task.WhenAll(registrars.Select((registrar, lane) => Task.Run(async () =>
        {
            for (int i = lane; i < ExtraWorkers; i += registrars.Length)
            {
                using var temporary = i is 0 or ExtraWorkers - 1 ? null : new TestWorker();
                TestWorker w = i == 0 ? first : i == ExtraWorkers - 1 ? last : temporary!;
                ExecutionOutcome registered = await registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao,
                    "register_worker_key", (await w.RegistrationArgsAsync()).ToJsonString(), 300 * Tgas, 0);
                gas[i] = GasLedger.Record("tee-dao.register_worker_key", registered);
            }
        })));
        ulong firstGas = gas[0], lastGas = gas[^1];
        output.WriteLine($"registered {ExtraWorkers} workers in {clock.Elapsed.TotalSeconds:0.0} s; register_worker_key #1 {firstGas / 1e12:0.00} Tgas, " +
            $"#{ExtraWorkers} {lastGas / 1e12:0.00} Tgas");
        Assert.InRange(lastGas, firstGas * 95 / 100, firstGas * 105 / 100);
        Assert.Equal(ExtraWorkers + 1, (await net.ViewAsync(LocalKeystoreNetwork.Dao, "count_workers"))!.GetValue<int>());

        ExecutionOutcome request = await first.DaoSender(net.Rpc).FunctionCallAsync(LocalKeystoreNetwork.Dao, "request_master_secret",
            new JsonObject { ["app_public_key"] = BlsKeyText.Encode(G1Point.Generator.Multiply(Scalar.Random())) }.ToJsonString(), 150 * Tgas, 0);
        Assert.NotNull(request.SuccessValueJson()?["big_c"]);
        GasLedger.Record("tee-dao.request_master_secret (→ MPC → callback)", request);

        // The council votes the compose hash out: alice proposes, bob's vote executes it, whatever the number of workers.
        string composeHash = KeystoreNetworkBootstrapper.ComposeHash(SimulatedTdxOptions.LocalDevelopment);
        ExecutionOutcome propose = await net.Sender("alice.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "propose",
            new JsonObject { ["kind"] = "remove_compose_hash", ["compose_hash"] = composeHash }.ToJsonString(), 100 * Tgas, 0);
        GasLedger.Record("tee-dao.propose", propose);
        long id = propose.SuccessValueJson()!["id"]!.GetValue<long>();
        ExecutionOutcome vote = await net.Sender("bob.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "vote",
            new JsonObject { ["proposal_id"] = id }.ToJsonString(), 300 * Tgas, 0);
        ulong voteGas = GasLedger.Record("tee-dao.vote (executes remove_compose_hash)", vote);
        output.WriteLine($"vote executing remove_compose_hash over {ExtraWorkers + 1} workers: {voteGas / 1e12:0.00} Tgas, " +
            $"{vote.Raw["receipts_outcome"]!.AsArray().Count} receipt(s)");
        Assert.Equal("executed", vote.SuccessValueJson()!["status"]!.GetValue<string>());
        Assert.True(voteGas < 10 * Tgas, $"revocation must not grow with the workers: {voteGas / 1e12:0.00} Tgas");
        Assert.False(await IsWorkerAsync(net, workerKey));

        // A revoked worker's next request_master_secret fails, although its key still exists until pruned.
        var refused = await Assert.ThrowsAsync<TransactionFailedException>(() => first.DaoSender(net.Rpc).FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "request_master_secret", new JsonObject { ["app_public_key"] = BlsKeyText.Encode(G1Point.Generator.Multiply(Scalar.Random())) }.ToJsonString(),
            150 * Tgas, 0));
        Assert.Contains("this worker's compose hash was revoked", refused.FailureMessage);

        // The running keystore, after two revoked answers in a row, drops its master secret: no keys, no signatures.
        JsonNode revoked = await keystore.WaitForReadyBodyAsync(b => b["ready"]?.GetValue<bool>() == false, TimeSpan.FromMinutes(1));
        JsonNode register = KeystoreNode.Step(revoked, "register")!;
        Assert.Equal("failed", register["state"]!.GetValue<string>());
        Assert.Contains("revoked", register["lastError"]!.GetValue<string>());
        Assert.False(revoked["tee"]!["registered"]!.GetValue<bool>());
        using (HttpResponseMessage keys = await keystore.Client.GetAsync("/v1/accounts/alice.test.near/keys/ethereum"))
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, keys.StatusCode);
        using (HttpResponseMessage sign = await keystore.Client.SendAsync(
            KeystoreNode.SignedPost(signPath, """{"message":"after"}""", LocalKeystoreNetwork.Owner, net.Key(LocalKeystoreNetwork.Owner))))
        {
            string problem = await sign.Content.ReadAsStringAsync();
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, sign.StatusCode);
            Assert.Equal("application/problem+json", sign.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:near-tee-keystore:problem:not-ready", JsonNode.Parse(problem)!["type"]!.GetValue<string>());
            Assert.DoesNotContain("\"signature\"", problem);
        }

        // Anyone prunes the revoked workers in bounded pages; their keys and storage go, the stake returns to the DAO.
        ulong storageBefore = (await net.Rpc.ViewAccountAsync(LocalKeystoreNetwork.Dao)).StorageUsage;
        TransactionSender pruner = net.Sender("carol.test.near");
        int pages = 0, pruned = 0;
        ulong maxPageGas = 0;
        clock.Restart();
        while (true)
        {
            ExecutionOutcome page = await pruner.FunctionCallAsync(LocalKeystoreNetwork.Dao, "prune_workers", """{"limit":100}""", 300 * Tgas, 0);
            maxPageGas = Math.Max(maxPageGas, GasLedger.Record("tee-dao.prune_workers (100 workers)", page));
            JsonNode result = page.SuccessValueJson()!;
            pruned += result["pruned"]!.GetValue<int>();
            pages++;
            Assert.True(result["pruned"]!.GetValue<int>() <= 100);
            if (!result["more"]!.GetValue<bool>()) break;
            Assert.True(pages < 20, "prune_workers never finished");
        }
        ulong storageAfter = (await net.Rpc.ViewAccountAsync(LocalKeystoreNetwork.Dao)).StorageUsage;
        output.WriteLine($"prune_workers: {pruned} workers in {pages} pages ({clock.Elapsed.TotalSeconds:0.0} s), at most {maxPageGas / 1e12:0.00} Tgas a page; " +
            $"DAO storage {storageBefore} → {storageAfter} bytes");
        Assert.Equal(ExtraWorkers + 1, pruned);
        Assert.Equal((ExtraWorkers + 1 + 99) / 100, pages);
        Assert.True(maxPageGas < 300 * Tgas);
        Assert.True(storageBefore - storageAfter > (ulong)(ExtraWorkers * 200), $"storage freed: {storageBefore - storageAfter} bytes");
        Assert.Equal(0, (await net.ViewAsync(LocalKeystoreNetwork.Dao, "count_workers"))!.GetValue<int>());

        // Every pruned worker's access key is gone from the DAO account.
        await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, workerKey));
        await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, first.Key.PublicKey));
        await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, last.Key.PublicKey));
        Assert.DoesNotContain(await net.Rpc.ViewAccessKeyListAsync(LocalKeystoreNetwork.Dao), k => k.Permission is FunctionCallPermission);

        // A new keystore with the revoked compose hash never gets registered, so never gets a secret.
        await using KeystoreNode late = await net.StartKeystoreAsync(waitUntilReady: false);
        JsonNode body = await late.WaitForReadyBodyAsync(b => b["steps"]?.AsArray()
            .Any(s => s!["name"]!.GetValue<string>() == "register" && s["lastError"] is not null) == true, TimeSpan.FromMinutes(2));
        JsonNode step = body["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "register")!;
        output.WriteLine("late keystore: " + step["lastError"]!.GetValue<string>());
        Assert.Contains("refused the registration", step["lastError"]!.GetValue<string>());
        Assert.False(body["ready"]!.GetValue<bool>());
        output.WriteLine(GasLedger.Report());
    }

    private static async Task<bool> IsWorkerAsync(LocalKeystoreNetwork net, Ed25519PublicKey key) =>
        (await net.ViewAsync(LocalKeystoreNetwork.Dao, "is_registered_worker", new JsonObject { ["public_key"] = key.ToString() }))!.GetValue<bool>();
}
