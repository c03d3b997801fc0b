using System.Text.Json.Nodes;
using Keystore.EndToEnd.Tests.Support;
using Keystore.Near.Rpc;

using static Keystore.EndToEnd.Tests.Support.KeystoreNode;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// Without a registrar account the keystore waits, says so on /v1/ready with the NEAR CLI command,
/// and continues by itself once an operator sends the arguments of /v1/attestation/registration.
/// </summary>
public sealed class OperatorRegistrationTests
{
    [Fact]
    public async Task The_keystore_waits_for_an_operator_and_boots_once_registered()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await StartWithoutRegistrarAsync(net);
        JsonNode waiting = await WaitUntilWaitingAsync(keystore);
        string reason = Step(waiting, "register")!["lastError"]!.GetValue<string>();
        Assert.Contains("awaiting registration", reason);
        Assert.Contains("near contract call-function as-transaction dao.test.near register_worker_key", reason);
        Assert.Contains("network-config localnet", reason);
        Assert.Equal("pending", Step(waiting, "master-secret")!["state"]!.GetValue<string>());

        // The operator sends exactly the published arguments from any funded account.
        string args = await keystore.Client.GetStringAsync("/v1/attestation/registration");
        ExecutionOutcome registered = await net.Sender("carol.test.near").FunctionCallAsync(LocalKeystoreNetwork.Dao,
            "register_worker_key", args, 300 * LocalKeystoreNetwork.Tgas, 0);
        Assert.True(registered.IsSuccess);

        await keystore.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        JsonNode ready = await keystore.GetJsonAsync("/v1/ready");
        Assert.All(ready["steps"]!.AsArray(), s => Assert.Equal("done", s!["state"]!.GetValue<string>()));
        Assert.True(ready["tee"]!["registered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Funding_the_workers_implicit_account_lets_it_register_itself()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await StartWithoutRegistrarAsync(net);
        JsonNode waiting = await WaitUntilWaitingAsync(keystore);
        var worker = Keystore.Near.Keys.Ed25519PublicKey.Parse(waiting["tee"]!["workerPublicKey"]!.GetValue<string>());
        string implicitAccount = Convert.ToHexStringLower(worker.Bytes.Span);
        Assert.Contains($"funds the worker's implicit account {implicitAccount}", Step(waiting, "register")!["lastError"]!.GetValue<string>());

        // A plain transfer creates the implicit account with the worker key as its full-access key.
        await net.Sender("carol.test.near").SendAsync(implicitAccount,
            [new Keystore.Near.Transactions.TransferAction(UInt128.Parse("1000000000000000000000000"))]);

        await keystore.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        Assert.True((await net.ViewAsync(LocalKeystoreNetwork.Dao, "is_registered_worker", new JsonObject { ["public_key"] = worker.ToString() }))!.GetValue<bool>());
        // The worker paid for its own registration.
        Assert.True((await net.Rpc.ViewAccountAsync(implicitAccount)).Amount < UInt128.Parse("1000000000000000000000000"));
    }

    /// <summary>A keystore with no registrar account: it can only wait, or pay from its implicit account.</summary>
    private static Task<KeystoreNode> StartWithoutRegistrarAsync(LocalKeystoreNetwork net) =>
        net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Near:RegistrarAccountId"] = null,
            ["Keystore:Near:RegistrarCredentialsFile"] = null,
            ["Keystore:Near:RegistrationPollInterval"] = "00:00:00.200",
        }, waitUntilReady: false);

    private static Task<JsonNode> WaitUntilWaitingAsync(KeystoreNode keystore) =>
        keystore.WaitForReadyBodyAsync(b => Step(b, "register")?["state"]?.GetValue<string>() == "waiting", TimeSpan.FromMinutes(1));
}
