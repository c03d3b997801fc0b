using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Keystore.Tests.Support;

/// <summary>
/// A NEAR JSON-RPC node that answers view calls (<c>call_function</c>) from a script, one entry per
/// request, and records each. Once the script is used up it answers UNKNOWN_ACCOUNT (an answer the
/// keystore must treat as "no answer") and completes <see cref="Exhausted"/>. Transactions are
/// accepted as successful and recorded in <see cref="Transactions"/> (base64 of the signed borsh).
/// </summary>
public sealed class ScriptedNearRpc(IEnumerable<JsonNode> script) : HttpMessageHandler
{
    private readonly ConcurrentQueue<JsonNode> _script = new(script);
    private readonly TaskCompletionSource _exhausted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    public ConcurrentQueue<byte[]> Transactions { get; } = new();

    public Task Exhausted => _exhausted.Task;

    /// <summary>A <c>call_function</c> result carrying <paramref name="value"/> as JSON, read at block <paramref name="height"/>.</summary>
    public static JsonNode Result(JsonNode value, ulong height) => new JsonObject
    {
        ["result"] = new JsonArray(Encoding.UTF8.GetBytes(value.ToJsonString()).Select(b => (JsonNode?)JsonValue.Create((int)b)).ToArray()),
        ["logs"] = new JsonArray(),
        ["block_height"] = height,
        ["block_hash"] = "11111111111111111111111111111111",
    };

    public static JsonNode Status(string status, ulong height) => Result(new JsonObject { ["status"] = status }, height);

    /// <summary>nearcore's error for a query on an account that does not exist (a reset chain without the DAO).</summary>
    public static JsonNode UnknownAccount() => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["name"] = "HANDLER_ERROR",
            ["cause"] = new JsonObject { ["name"] = "UNKNOWN_ACCOUNT", ["info"] = new JsonObject { ["requested_account_id"] = "dao.test.near" } },
            ["code"] = -32000,
            ["message"] = "Server error",
        },
    };

    private const string ZeroHash = "11111111111111111111111111111111";

    private static JsonObject Ok(JsonNode result) => new() { ["result"] = result };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JsonNode body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
        JsonNode answer = body["method"]!.GetValue<string>() switch
        {
            "block" => Ok(new JsonObject { ["header"] = new JsonObject { ["hash"] = ZeroHash, ["height"] = 1, ["timestamp_nanosec"] = "0" } }),
            "send_tx" => Accept(body),
            "query" when body["params"]!["request_type"]!.GetValue<string>() == "view_access_key" =>
                Ok(new JsonObject { ["nonce"] = 7, ["permission"] = "FullAccess", ["block_height"] = 1, ["block_hash"] = ZeroHash }),
            _ => Scripted(body),
        };
        answer["jsonrpc"] = "2.0";
        answer["id"] = body["id"]?.DeepClone();
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    private JsonNode Scripted(JsonNode body)
    {
        Requests.Enqueue(body);
        if (_script.TryDequeue(out JsonNode? next))
            return next["error"] is not null ? next.DeepClone() : Ok(next.DeepClone());
        _exhausted.TrySetResult();
        return UnknownAccount();
    }

    private JsonObject Accept(JsonNode body)
    {
        Transactions.Enqueue(Convert.FromBase64String(body["params"]!["signed_tx_base64"]!.GetValue<string>()));
        return Ok(new JsonObject
        {
            ["status"] = new JsonObject { ["SuccessValue"] = "" },
            ["transaction"] = new JsonObject { ["hash"] = ZeroHash },
            ["transaction_outcome"] = new JsonObject { ["id"] = ZeroHash },
            ["receipts_outcome"] = new JsonArray(),
        });
    }
}
