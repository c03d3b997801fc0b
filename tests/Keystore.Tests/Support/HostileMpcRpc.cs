using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;

namespace Keystore.Tests.Support;

/// <summary>
/// A NEAR JSON-RPC endpoint that answers for the whole chain as it likes: the DAO lists the worker, the MPC contract
/// serves CKD on domain 2 and reports <paramref name="reportedKey"/> as its <c>public_key</c>, and the worker's
/// <c>request_master_secret</c> transaction "succeeds" with the answer <paramref name="answering"/> computes for the
/// worker's ephemeral key (taken from the signed transaction), with the real CKD math. Honest when both are the MPC
/// network's; hostile when they are an attacker's msk'.
/// </summary>
public sealed class HostileMpcRpc(MpcSimulator answering, G2Point reportedKey) : HttpMessageHandler
{
    public const string Dao = "dao.test.near";
    public const string CkdPath = "keystore";
    private const string ZeroHash = "11111111111111111111111111111111";

    public int CkdRequests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JsonNode body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
        JsonNode answer = body["method"]!.GetValue<string>() switch
        {
            "block" => Ok(new JsonObject { ["header"] = new JsonObject { ["hash"] = ZeroHash, ["height"] = 9, ["timestamp_nanosec"] = "0" } }),
            "send_tx" => Ok(Outcome(Convert.FromBase64String(body["params"]!["signed_tx_base64"]!.GetValue<string>()))),
            "query" when body["params"]!["request_type"]!.GetValue<string>() == "view_access_key" =>
                Ok(new JsonObject { ["nonce"] = 7, ["permission"] = "FullAccess", ["block_height"] = 9, ["block_hash"] = ZeroHash }),
            "query" when body["params"]!["request_type"]!.GetValue<string>() == "call_function" => View(body["params"]!["method_name"]!.GetValue<string>()),
            _ => ScriptedNearRpc.UnknownAccount(),
        };
        answer["jsonrpc"] = "2.0";
        answer["id"] = body["id"]?.DeepClone();
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    private JsonNode View(string method) => method switch
    {
        "get_worker_status" => Ok(ScriptedNearRpc.Status("registered", 9)),
        "get_config" => Ok(ScriptedNearRpc.Result(new JsonObject
        {
            ["mpc_contract_id"] = "v1.signer.test.near",
            ["ckd_domain_id"] = 2,
            ["ckd_path"] = CkdPath,
        }, 9)),
        "state" => Ok(ScriptedNearRpc.Result(JsonNode.Parse("""{"Running":{"domains":{"domains":[{"id":2,"purpose":"CKD"}],"next_domain_id":3}}}""")!, 9)),
        "public_key" => Ok(ScriptedNearRpc.Result(JsonValue.Create(BlsKeyText.Encode(reportedKey)), 9)),
        // No audit anchor yet: an empty result.
        _ => Ok(new JsonObject { ["result"] = new JsonArray(), ["logs"] = new JsonArray(), ["block_height"] = 9, ["block_hash"] = ZeroHash }),
    };

    /// <summary>The outcome of the worker's CKD call: the answer for the app public key its arguments carry.</summary>
    private JsonObject Outcome(byte[] signedTransaction)
    {
        // The function call's JSON arguments are in the borsh bytes as they are.
        string text = Encoding.Latin1.GetString(signedTransaction);
        int start = text.IndexOf(BlsKeyText.G1Prefix, StringComparison.Ordinal);
        string success = "";
        if (start >= 0)
        {
            CkdRequests++;
            G1Point appPublicKey = BlsKeyText.ParseG1(text[start..text.IndexOf('"', start)]);
            success = Convert.ToBase64String(Encoding.UTF8.GetBytes(answering.RequestAppPrivateKey(Dao, CkdPath, appPublicKey).ToJson()));
        }
        return new JsonObject
        {
            ["status"] = new JsonObject { ["SuccessValue"] = success },
            ["transaction"] = new JsonObject { ["hash"] = ZeroHash },
            ["transaction_outcome"] = new JsonObject { ["id"] = ZeroHash },
            ["receipts_outcome"] = new JsonArray(),
        };
    }

    private static JsonObject Ok(JsonNode result) => new() { ["result"] = result };
}
