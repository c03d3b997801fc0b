using System.Text;
using System.Text.Json.Nodes;
using Keystore.EndToEnd.Tests.Support;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Transactions;

using static Keystore.EndToEnd.Tests.Support.KeystoreNode;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The MPC answer is checked, not trusted: a DAO whose MPC contract advertises the real MPC public key
/// but answers requests with well-formed points that are not the CKD answer must stop the keystore's
/// boot loudly (pairing check), with no master secret and no fallback.
/// </summary>
public sealed class MaliciousMpcTests
{
    private const string EvilMpc = "evil-mpc.test.near";

    [Fact]
    public async Task A_forged_CKD_answer_fails_the_pairing_check_and_stops_the_boot()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync(beforeBootstrap: DeployEvilMpcAsync);
        await using KeystoreNode keystore = await net.StartKeystoreAsync(waitUntilReady: false);

        JsonNode body = await keystore.WaitForReadyBodyAsync(b => Step(b, "master-secret")?["state"]?.GetValue<string>() == "failed",
            TimeSpan.FromMinutes(2));
        JsonNode step = Step(body, "master-secret")!;
        Assert.Contains("CKD verification failed", step["lastError"]!.GetValue<string>());
        Assert.Contains("pairing check", step["lastError"]!.GetValue<string>());
        Assert.Equal("done", Step(body, "register")!["state"]!.GetValue<string>());

        // Not retried: a forged answer is not a transient fault. Still failed, one attempt, nothing derivable.
        await Task.Delay(1500);
        JsonNode later = JsonNode.Parse(await (await keystore.Client.GetAsync("/v1/ready")).Content.ReadAsStringAsync())!;
        Assert.Equal(1, Step(later, "master-secret")!["attempts"]!.GetValue<int>());
        Assert.False(later["ready"]!.GetValue<bool>());
        using HttpResponseMessage keys = await keystore.Client.GetAsync("/v1/accounts/alice.test.near/keys/ethereum");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, keys.StatusCode);
    }

    /// <summary>
    /// A wasm contract: state lists CKD domain 2 as near/mpc's does, public_key returns the genuine MPC key;
    /// request_app_private_key returns (G1, G1).
    /// </summary>
    private static async Task<string?> DeployEvilMpcAsync(LocalKeystoreNetwork net)
    {
        string publicKey = JsonValue.Create(BlsKeyText.Encode(net.Host.Genesis.Mpc!.PublicKey))!.ToJsonString();
        string forged = new JsonObject
        {
            ["big_y"] = BlsKeyText.Encode(G1Point.Generator),
            ["big_c"] = BlsKeyText.Encode(G1Point.Generator.Multiply(Scalar.Random())),
        }.ToJsonString();
        const string State = """{"Running":{"domains":{"domains":[{"id":2,"protocol":"ConfidentialKeyDerivation","reconstruction_threshold":2,"purpose":"CKD"}],"next_domain_id":3}}}""";
        string wat = $$"""
            (module
              (import "env" "value_return" (func $ret (param i64 i64)))
              (memory (export "memory") 1)
              (data (i32.const 0) "{{Escape(publicKey)}}")
              (data (i32.const 1024) "{{Escape(forged)}}")
              (data (i32.const 2048) "{{Escape(State)}}")
              (func (export "public_key") (call $ret (i64.const {{Encoding.UTF8.GetByteCount(publicKey)}}) (i64.const 0)))
              (func (export "request_app_private_key") (call $ret (i64.const {{Encoding.UTF8.GetByteCount(forged)}}) (i64.const 1024)))
              (func (export "state") (call $ret (i64.const {{Encoding.UTF8.GetByteCount(State)}}) (i64.const 2048))))
            """;
        byte[] code = Wat.ToWasm(wat);
        await net.Sender(LocalKeystoreNetwork.Root).SendAsync(EvilMpc,
        [
            new CreateAccountAction(),
            new TransferAction(UInt128.Parse("10000000000000000000000000")),
            new DeployContractAction(code),
        ]);
        return EvilMpc;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
