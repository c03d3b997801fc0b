using System.Text.Json.Nodes;
using Keystore.Bindings;
using Keystore.Boot;
using Keystore.Dao;
using Keystore.Tests.Support;
using static Keystore.Tests.Support.ScriptedNearRpc;

namespace Keystore.Tests.Boot;

/// <summary>
/// The register step produces the DAO registration (block and DAO configuration) that the later steps and the
/// binding registrar read; the worker's sender is fixed by the configured DAO, not by whoever asks first.
/// </summary>
public sealed class WorkerRegistrationTests
{
    [Fact]
    public async Task The_register_step_hands_on_the_DAO_configuration_with_the_registration()
    {
        var config = new JsonObject
        {
            ["mpc_contract_id"] = "v1.signer.test.near",
            ["ckd_domain_id"] = 2,
            ["ckd_path"] = "keystore",
            ["chain_keys_contract_id"] = "chain-keys.test.near",
        };
        // Listed at block 7, then the configuration; the master-secret step finds nothing more to read.
        var rpc = new ScriptedNearRpc([Status("registered", 7), Result(config, 7)]);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        KeystoreState state = server.Services.GetRequiredService<KeystoreState>();
        for (int i = 0; i < 600 && state.Steps.SingleOrDefault(s => s.Name == "register")?.State != BootStepState.Done; i++)
            await Task.Delay(25);

        WorkerContext worker = server.Services.GetRequiredService<WorkerContext>();
        Assert.Equal(new DaoRegistration(7, new DaoConfig("v1.signer.test.near", 2, "keystore", "chain-keys.test.near")), worker.Registration);
        Assert.True(worker.IsRegistered);
        Assert.Equal(7UL, worker.RegisteredAtBlock);
        Assert.Equal(["get_worker_status", "get_config"], rpc.Requests.Take(2).Select(r => r["params"]!["method_name"]!.GetValue<string>()));
        Assert.Equal("chain-keys.test.near",
            server.Services.GetRequiredService<BindingRegistrar>().Status("alice.near", "ethereum", 0).Registry);
    }

    [Fact]
    public void The_workers_sender_signs_as_the_configured_DAO_with_the_worker_key_and_is_shared()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Keystore.Configuration.KeystoreOptions
        {
            Near = new Keystore.Configuration.NearOptions { RpcUrls = ["http://rpc.invalid/"], DaoContractId = "dao.test.near" },
        });
        using var worker = new WorkerContext(new NearConnection(options, new NoHttp()));
        Assert.Equal("dao.test.near", worker.Sender.SignerAccountId);
        Assert.Equal(worker.Identity.PublicKey, worker.Sender.PublicKey);
        // One sender, so one nonce sequence for CKD, heartbeats and bindings.
        Assert.Same(worker.Sender, worker.Sender);
        Assert.False(worker.IsRegistered);
        worker.MarkRegistered(new DaoRegistration(3, new DaoConfig("mpc.near", 1, "p", null)));
        worker.MarkRevoked();
        Assert.False(worker.IsRegistered);
        Assert.Equal(3UL, worker.RegisteredAtBlock);
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
