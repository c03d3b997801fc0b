using Keystore.Boot;
using Keystore.MasterSecrets;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Tests.Support;

namespace Keystore.Tests.Boot;

/// <summary>
/// <c>Keystore:Near:MpcPublicKey</c> against an RPC endpoint that answers for the chain: it reports its own MPC key
/// (pk' = msk'·G2) and a CKD answer made with msk', a consistent forgery that passes the pairing check under pk'.
/// Unpinned, the worker adopts a master secret the attacker can compute (the trust the RPC is given without a pin);
/// pinned, the master-secret step fails once with the reason and the keystore holds no secret.
/// </summary>
public sealed class PinnedMpcKeyBootTests
{
    private static async Task<BootStep> WaitForAsync(KeystoreServer server, string step, Func<BootStep, bool> until)
    {
        KeystoreState state = server.Services.GetRequiredService<KeystoreState>();
        for (int i = 0; i < 1200; i++)
        {
            if (state.Steps.SingleOrDefault(s => s.Name == step) is { } current && until(current)) return current;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Boot step {step} never reached the expected state: " + string.Join("; ", state.Steps));
    }

    /// <summary>The master secret the attacker computes on its own, with its msk' and the real CKD math.</summary>
    private static async Task<MasterSecret> AttackersSecretAsync(MpcSimulator attacker)
    {
        var transport = new SimulatedTransport(attacker);
        using CkdSecret secret = await new CkdClient(transport, attacker, HostileMpcRpc.Dao, HostileMpcRpc.CkdPath).DeriveSecretAsync();
        return new MasterSecret(secret.Span);
    }

    private sealed class SimulatedTransport(MpcSimulator mpc) : ICkdTransport
    {
        public Task<CkdResponse> RequestAsync(G1Point appPublicKey, CancellationToken cancellationToken) =>
            Task.FromResult(mpc.RequestAppPrivateKey(HostileMpcRpc.Dao, HostileMpcRpc.CkdPath, appPublicKey));
    }

    private static byte[] Tag(MasterSecret secret)
    {
        var tag = new byte[32];
        secret.HmacSha256("which secret"u8, tag);
        return tag;
    }

    [Fact]
    public async Task Unpinned_a_hostile_RPC_with_its_own_MPC_key_gets_the_worker_to_adopt_a_master_secret_the_attacker_knows()
    {
        var attacker = MpcSimulator.CreateRandom();
        var rpc = new HostileMpcRpc(attacker, attacker.PublicKey);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        await WaitForAsync(server, "master-secret", s => s.State == BootStepState.Done);

        using MasterSecret known = await AttackersSecretAsync(attacker);
        Assert.Equal(Tag(known), Tag(server.Services.GetRequiredService<KeystoreState>().RequireMasterSecret()));
    }

    [Fact]
    public async Task Pinned_a_hostile_RPC_with_its_own_MPC_key_fails_the_master_secret_step_once_with_the_reason_and_no_secret()
    {
        var mpc = MpcSimulator.CreateRandom();
        var attacker = MpcSimulator.CreateRandom();
        var rpc = new HostileMpcRpc(attacker, attacker.PublicKey);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc,
            new Dictionary<string, string?> { ["Keystore:Near:MpcPublicKey"] = BlsKeyText.Encode(mpc.PublicKey) });

        BootStep failed = await WaitForAsync(server, "master-secret", s => s.State == BootStepState.Failed);
        Assert.Contains("is not the pinned one", failed.LastError);
        Assert.Contains(BlsKeyText.Encode(attacker.PublicKey), failed.LastError);
        // Refused before anything was sent: no CKD request, no retry, no secret.
        await Task.Delay(TimeSpan.FromSeconds(2));
        KeystoreState state = server.Services.GetRequiredService<KeystoreState>();
        Assert.Equal(1, state.Steps.Single(s => s.Name == "master-secret").Attempts);
        Assert.Equal(0, rpc.CkdRequests);
        Assert.False(state.IsReady);
        using HttpResponseMessage ready = await server.Client.GetAsync("/v1/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("is not the pinned one", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pinned_a_hostile_RPC_that_reports_the_pinned_key_but_answers_with_its_own_fails_the_pairing_check()
    {
        var mpc = MpcSimulator.CreateRandom();
        var attacker = MpcSimulator.CreateRandom();
        var rpc = new HostileMpcRpc(attacker, mpc.PublicKey);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc,
            new Dictionary<string, string?> { ["Keystore:Near:MpcPublicKey"] = BlsKeyText.Encode(mpc.PublicKey) });

        BootStep failed = await WaitForAsync(server, "master-secret", s => s.State == BootStepState.Failed);

        Assert.Contains("pairing check", failed.LastError);
        Assert.Equal(1, rpc.CkdRequests);
        Assert.False(server.Services.GetRequiredService<KeystoreState>().IsReady);
    }

    [Fact]
    public async Task Pinned_with_the_MPC_networks_key_the_keystore_boots_with_the_networks_secret()
    {
        var mpc = MpcSimulator.CreateRandom();
        var rpc = new HostileMpcRpc(mpc, mpc.PublicKey);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc,
            new Dictionary<string, string?> { ["Keystore:Near:MpcPublicKey"] = BlsKeyText.Encode(mpc.PublicKey) });

        await WaitForAsync(server, "master-secret", s => s.State == BootStepState.Done);

        using MasterSecret expected = await AttackersSecretAsync(mpc);
        Assert.Equal(Tag(expected), Tag(server.Services.GetRequiredService<KeystoreState>().RequireMasterSecret()));
    }
}
