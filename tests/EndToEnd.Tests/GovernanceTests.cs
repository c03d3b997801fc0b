using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.EndToEnd.Tests.Support;
using Keystore.LocalNear.Bootstrap;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
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
        Assert.False(await IsWorkerAsync(net, tampered.Key.PublicKey));

        // A genuine quote of a TD with another compose hash: RTMR3 is not an approved measurement.
        using var rogue = new TestWorker(SimulatedTdxOptions.LocalDevelopment with { ComposeHash = new byte[32] });
        var e2 = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao, "register_worker_key", args2(rogue).Result.ToJsonString(), 300 * Tgas, 0));
        output.WriteLine("unapproved RTMR3: " + e2.FailureMessage);
        Assert.Contains("approved", e2.FailureMessage);
        Assert.False(await IsWorkerAsync(net, rogue.Key.PublicKey));

        // A full-access key of another account asking for the master secret: not a worker.
        G1Point a = G1Point.Generator.Multiply(Scalar.Random());
        var e3 = await Assert.ThrowsAsync<TransactionFailedException>(() => registrar.FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "request_master_secret", new JsonObject { ["app_public_key"] = BlsKeyText.Encode(a) }.ToJsonString(), 150 * Tgas, 0));
        output.WriteLine("non-worker: " + e3.FailureMessage);

        static Task<JsonObject> args2(TestWorker w) => w.RegistrationArgsAsync();
    }

    [Fact]
    public async Task Revoking_the_measurements_removes_the_workers_key_and_stops_the_master_secret()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Near:RevocationCheckInterval"] = "00:00:00.200",
        });
        var workerKey = Ed25519PublicKey.Parse((await keystore.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>());

        using var worker = new TestWorker();
        ExecutionOutcome registered = await net.Sender(LocalKeystoreNetwork.Root).FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "register_worker_key", (await worker.RegistrationArgsAsync()).ToJsonString(), 300 * Tgas, 0);
        GasLedger.Record("tee-dao.register_worker_key", registered);
        ExecutionOutcome request = await worker.DaoSender(net.Rpc).FunctionCallAsync(LocalKeystoreNetwork.Dao, "request_master_secret",
            new JsonObject { ["app_public_key"] = BlsKeyText.Encode(G1Point.Generator.Multiply(Scalar.Random())) }.ToJsonString(), 150 * Tgas, 0);
        Assert.NotNull(request.SuccessValueJson()?["big_c"]);
        GasLedger.Record("tee-dao.request_master_secret (→ MPC → callback)", request);

        // The council votes the measurements out: alice proposes, bob's vote executes it.
        JsonObject measurements = KeystoreNetworkBootstrapper.Measurements(SimulatedTdxOptions.LocalDevelopment);
        ExecutionOutcome propose = await net.Sender("alice.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "propose",
            new JsonObject { ["kind"] = "revoke_measurements", ["measurements"] = measurements }.ToJsonString(), 100 * Tgas, 0);
        GasLedger.Record("tee-dao.propose", propose);
        long id = propose.SuccessValueJson()!["id"]!.GetValue<long>();
        ExecutionOutcome vote = await net.Sender("bob.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "vote",
            new JsonObject { ["proposal_id"] = id }.ToJsonString(), 300 * Tgas, 0);
        GasLedger.Record("tee-dao.vote (executes revoke_measurements)", vote);
        Assert.Equal("executed", vote.SuccessValueJson()!["status"]!.GetValue<string>());

        // Both workers' access keys are gone from the DAO account, and they are no longer workers.
        await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, workerKey));
        await Assert.ThrowsAsync<AccessKeyNotFoundException>(() => net.Rpc.ViewAccessKeyAsync(LocalKeystoreNetwork.Dao, worker.Key.PublicKey));
        Assert.False(await IsWorkerAsync(net, workerKey));

        // The running keystore notices, drops its master secret and stops answering key and sign requests.
        JsonNode revoked = await keystore.WaitForReadyBodyAsync(b => b["ready"]?.GetValue<bool>() == false, TimeSpan.FromMinutes(1));
        JsonNode register = revoked["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "register")!;
        Assert.Equal("failed", register["state"]!.GetValue<string>());
        Assert.Contains("revoked", register["lastError"]!.GetValue<string>());
        Assert.False(revoked["tee"]!["registered"]!.GetValue<bool>());
        using (HttpResponseMessage keys = await keystore.Client.GetAsync("/v1/accounts/alice.test.near/keys/ethereum"))
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, keys.StatusCode);

        // The revoked worker cannot ask for the master secret any more (its key no longer exists).
        await Assert.ThrowsAnyAsync<NearRpcException>(() => worker.DaoSender(net.Rpc).FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "request_master_secret", new JsonObject { ["app_public_key"] = BlsKeyText.Encode(G1Point.Generator.Multiply(Scalar.Random())) }.ToJsonString(),
            150 * Tgas, 0));

        // A new keystore with the revoked measurements never gets registered, so never gets a secret.
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
