using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.EndToEnd.Tests.Support;
using Keystore.Near.Rpc;
using Xunit.Abstractions;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// Issue 15: the council approves what stays stable across CVMs (the OS measurement set and the app compose hash),
/// not RTMR3, which holds each CVM's random instance id. Keystores boot on the local chain with the simulator, which
/// measures the repository's dstack/app-compose.json with a fresh instance id per start.
/// </summary>
public sealed class ComposeApprovalTests(ITestOutputHelper output)
{
    private static readonly string[] Chains = ["ethereum", "bitcoin", "solana"];

    private static string Payload(JsonNode registration, string eventName) =>
        registration["event_log"]!.AsArray().Single(e => e!["event"]!.GetValue<string>() == eventName)!["event_payload"]!.GetValue<string>();

    private static async Task<string[]> AddressesAsync(KeystoreNode node)
    {
        var result = new List<string>();
        foreach (string chain in Chains)
            result.Add((await node.GetJsonAsync($"/v1/accounts/alice.test.near/keys/{chain}"))["address"]!.GetValue<string>());
        return result.ToArray();
    }

    [Fact]
    public async Task Two_instances_with_different_instance_ids_register_under_one_approval_derive_the_same_addresses_and_stop_when_the_compose_hash_is_revoked()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        var fastChecks = new Dictionary<string, string?> { ["Keystore:Near:RevocationCheckInterval"] = "00:00:00.200" };
        await using KeystoreNode a = await net.StartKeystoreAsync(fastChecks);
        await using KeystoreNode b = await net.StartKeystoreAsync(fastChecks);

        JsonNode regA = await a.GetJsonAsync("/v1/attestation/registration");
        JsonNode regB = await b.GetJsonAsync("/v1/attestation/registration");
        string composeFile = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "dstack", "app-compose.json"));
        string composeHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(composeFile)));
        Assert.Equal(composeFile, regA["app_compose"]!.GetValue<string>());
        Assert.Equal(composeHash, Payload(regA, "compose-hash"));
        Assert.Equal(composeHash, Payload(regB, "compose-hash"));
        Assert.NotEqual(Payload(regA, "instance-id"), Payload(regB, "instance-id"));
        Assert.NotEqual((await a.GetJsonAsync("/v1/attestation"))["rtmr3"]!.GetValue<string>(), (await b.GetJsonAsync("/v1/attestation"))["rtmr3"]!.GetValue<string>());

        // One approval (one OS set, one compose hash, voted once by the bootstrap), two registered workers.
        Assert.Single((await net.ViewAsync(LocalKeystoreNetwork.Dao, "list_os_measurements"))!.AsArray());
        Assert.Equal(composeHash, Assert.Single((await net.ViewAsync(LocalKeystoreNetwork.Dao, "list_compose_hashes"))!.AsArray())!.GetValue<string>());
        JsonNode statusA = (await net.ViewAsync(LocalKeystoreNetwork.Dao, "get_worker_status", new JsonObject { ["public_key"] = regA["public_key"]!.GetValue<string>() }))!;
        JsonNode statusB = (await net.ViewAsync(LocalKeystoreNetwork.Dao, "get_worker_status", new JsonObject { ["public_key"] = regB["public_key"]!.GetValue<string>() }))!;
        Assert.Equal(("registered", "registered"), (statusA["status"]!.GetValue<string>(), statusB["status"]!.GetValue<string>()));
        Assert.Equal(statusA["os_set_id"]!.GetValue<string>(), statusB["os_set_id"]!.GetValue<string>());
        Assert.Equal(composeHash, statusB["compose_hash"]!.GetValue<string>());

        // The same master secret, so the same addresses.
        string[] addressesA = await AddressesAsync(a);
        Assert.Equal(addressesA, await AddressesAsync(b));
        output.WriteLine($"instance ids {Payload(regA, "instance-id")} / {Payload(regB, "instance-id")}: both derive {string.Join(", ", addressesA)}");

        // /v1/ready shows the TCB status the on-chain DCAP verification found, and the DAO's verdict on it.
        JsonNode tcb = (await a.GetJsonAsync("/v1/ready"))["tee"]!["tcb"]!;
        Assert.Equal(("UpToDate", "accepted"), (tcb["status"]!.GetValue<string>(), tcb["standing"]!.GetValue<string>()));
        Assert.Empty(tcb["advisoryIds"]!.AsArray());

        // The council revokes the compose hash: one vote, and both instances stop.
        ExecutionOutcome propose = await net.Sender("alice.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "propose",
            new JsonObject { ["kind"] = "remove_compose_hash", ["compose_hash"] = composeHash }.ToJsonString(), 100 * LocalKeystoreNetwork.Tgas, 0);
        ExecutionOutcome vote = await net.Sender("bob.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao, "vote",
            new JsonObject { ["proposal_id"] = propose.SuccessValueJson()!["id"]!.GetValue<long>() }.ToJsonString(), 100 * LocalKeystoreNetwork.Tgas, 0);
        Assert.Equal("executed", vote.SuccessValueJson()!["status"]!.GetValue<string>());
        foreach (KeystoreNode node in new[] { a, b })
        {
            JsonNode stopped = await node.WaitForReadyBodyAsync(r => r["ready"]?.GetValue<bool>() == false, TimeSpan.FromMinutes(1));
            Assert.Contains("revoked", KeystoreNode.Step(stopped, "register")!["lastError"]!.GetValue<string>());
        }
        JsonNode revoked = (await net.ViewAsync(LocalKeystoreNetwork.Dao, "get_worker_status", new JsonObject { ["public_key"] = regA["public_key"]!.GetValue<string>() }))!;
        Assert.Equal("this worker's compose hash was revoked", revoked["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unapproved_compose_document_a_tampered_event_and_a_wrong_document_are_refused_with_the_contracts_reason()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();

        // A keystore measuring another app-compose document boots, attests, and is refused registration.
        string other = Path.Combine(net.Directory, "other-app-compose.json");
        await File.WriteAllTextAsync(other, """{"manifest_version":2,"name":"not-the-keystore","runner":"docker-compose","docker_compose_file":"services: {}"}""");
        string otherHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(other)));
        await using KeystoreNode rogue = await net.StartKeystoreAsync(new Dictionary<string, string?> { ["Keystore:Tee:AppComposeFile"] = other },
            waitUntilReady: false);
        JsonNode body = await rogue.WaitForReadyBodyAsync(r => KeystoreNode.Step(r, "register")?["lastError"] is not null, TimeSpan.FromMinutes(2));
        string reason = KeystoreNode.Step(body, "register")!["lastError"]!.GetValue<string>();
        output.WriteLine("unapproved compose: " + reason);
        Assert.Contains($"compose hash {otherHash} is not approved", reason);

        // An approved keystore's own registration arguments, altered: a swapped compose-hash payload under its honest
        // digest, and the right evidence with another document. (The keystore also registers itself: the contract checks
        // the evidence before it looks the worker up, so a registered key does not let altered evidence through.)
        await using KeystoreNode honest = await net.StartKeystoreAsync(waitUntilReady: false);
        JsonNode args = await WaitForRegistrationAsync(honest);
        JsonNode tampered = args.DeepClone();
        JsonNode composeEvent = tampered["event_log"]!.AsArray().Single(e => e!["event"]!.GetValue<string>() == "compose-hash")!;
        composeEvent["digest"] = Convert.ToHexStringLower(SHA384.HashData(
            [.. BitConverter.GetBytes(0x08000001u), .. ":compose-hash:"u8, .. Convert.FromHexString(composeEvent["event_payload"]!.GetValue<string>())]));
        composeEvent["event_payload"] = otherHash;
        TransactionFailedException e1 = await Assert.ThrowsAsync<TransactionFailedException>(() => net.Sender("carol.test.near").FunctionCallAsync(
            LocalKeystoreNetwork.Dao, "register_worker_key", tampered.ToJsonString(), 300 * LocalKeystoreNetwork.Tgas, 0));
        output.WriteLine("tampered event: " + e1.FailureMessage);
        Assert.Contains("'compose-hash': digest does not match its type, name and payload", e1.FailureMessage);

        JsonNode wrongDocument = args.DeepClone();
        wrongDocument["app_compose"] = await File.ReadAllTextAsync(other);
        TransactionFailedException e2 = await Assert.ThrowsAsync<TransactionFailedException>(() => net.Sender("carol.test.near").FunctionCallAsync(
            LocalKeystoreNetwork.Dao, "register_worker_key", wrongDocument.ToJsonString(), 300 * LocalKeystoreNetwork.Tgas, 0));
        output.WriteLine("wrong document: " + e2.FailureMessage);
        Assert.Contains("app_compose does not match the compose-hash event", e2.FailureMessage);

        // The untouched arguments pass (any funded account may send them).
        ExecutionOutcome ok = await net.Sender("carol.test.near").FunctionCallAsync(
            LocalKeystoreNetwork.Dao, "register_worker_key", args.ToJsonString(), 300 * LocalKeystoreNetwork.Tgas, 0);
        Assert.Equal(args["public_key"]!.GetValue<string>(), ok.SuccessValueJson()!["public_key"]!.GetValue<string>());
    }

    private static async Task<JsonNode> WaitForRegistrationAsync(KeystoreNode node)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                return await node.GetJsonAsync("/v1/attestation/registration");
            }
            catch (HttpRequestException) when (i < 200)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task The_council_approves_a_compose_hash_with_near_cli_as_the_README_shows()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        string home = Path.Combine(net.Directory, "home");
        string custom = Path.Combine(home, ".near-credentials", "custom");
        Directory.CreateDirectory(custom);
        foreach (string account in LocalKeystoreNetwork.Council)
            File.Copy(net.CredentialsFile(account), Path.Combine(custom, account + ".json"));

        string hash = Convert.ToHexStringLower(SHA256.HashData("another release of the app-compose document"u8));
        // near-cli 4 (the README's "near call" form): alice proposes, bob votes; the second vote executes it.
        string proposed = await NearCliGovernanceTests.NearAsync(net, home, "call", LocalKeystoreNetwork.Dao, "propose",
            $$"""{"kind":"add_compose_hash","compose_hash":"{{hash}}"}""", "--accountId", "alice.test.near", "--gas", "100000000000000");
        string proposalHash = NearCliGovernanceTests.TransactionId().Match(proposed).Groups[1].Value;
        JsonNode proposal = (await net.Rpc.TransactionStatusAsync(proposalHash, "alice.test.near")).SuccessValueJson()!;
        await NearCliGovernanceTests.NearAsync(net, home, "call", LocalKeystoreNetwork.Dao, "vote",
            $$"""{"proposal_id":{{proposal["id"]!.GetValue<long>()}}}""", "--accountId", "bob.test.near", "--gas", "100000000000000");
        JsonArray hashes = (await net.ViewAsync(LocalKeystoreNetwork.Dao, "list_compose_hashes"))!.AsArray();
        Assert.Contains(hashes, h => h!.GetValue<string>() == hash);
        string listed = await NearCliGovernanceTests.NearAsync(net, home, "view", LocalKeystoreNetwork.Dao, "list_compose_hashes", "{}");
        Assert.Contains(hash, listed);
    }
}
