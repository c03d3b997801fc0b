using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Ckd;

namespace Keystore.LocalNear.Mpc;

/// <summary>
/// The NEAR MPC signer contract's CKD surface, answered by <see cref="MpcSimulator"/>:
/// <c>request_app_private_key({"request":{"derivation_path","app_public_key":"bls12381g1:…","domain_id"}})</c>
/// returns <c>{"big_y","big_c"}</c> for the caller (the predecessor, whose account id enters the app id), and the
/// view <c>public_key({"domain_id"})</c> returns <c>"bls12381g2:…"</c>. The real contract answers in a later block
/// (yield/resume); here the answer is immediate, which callers cannot tell apart.
/// <para>
/// Fault injection for client retry tests: the first <paramref name="timeoutFirstRequests"/> well-formed requests fail
/// the way the real contract fails a request the MPC network did not answer within the yield timeout: its callback
/// calls <c>fail_on_timeout</c>, which panics with <c>RequestError::Timeout</c>'s text, <see cref="TimeoutMessage"/>.
/// The caller sees the same <c>"Smart contract panicked: Request has timed out."</c> failure, here from the request's own
/// receipt and at once (the real one fails ~200 blocks later in a follow-up receipt of the signer, keeping the deposit;
/// here the deposit is refunded with the failed receipt). Requests rejected by validation (deposit, domain, key) fail
/// with their own error and do not use up an injected timeout, as on the real contract where they fail before yielding.
/// </para>
/// </summary>
public sealed class MpcSignerContract(MpcSimulator mpc, uint domainId, int timeoutFirstRequests = 0) : INativeContract
{
    /// <summary>near/mpc's <c>RequestError::Timeout</c> message, the panic of its <c>fail_on_timeout</c>.</summary>
    public const string TimeoutMessage = "Request has timed out.";

    private int _timeoutsLeft = timeoutFirstRequests >= 0 ? timeoutFirstRequests
        : throw new ArgumentOutOfRangeException(nameof(timeoutFirstRequests), timeoutFirstRequests, "must be zero or positive");

    public uint DomainId { get; } = domainId;

    /// <summary>How many of the next well-formed <c>request_app_private_key</c> calls will still time out.</summary>
    public int TimeoutsLeft => Volatile.Read(ref _timeoutsLeft);

    public byte[] Call(NativeCallContext context, string methodName, ReadOnlySpan<byte> args)
    {
        ArgumentNullException.ThrowIfNull(context);
        return methodName switch
        {
            "request_app_private_key" => RequestAppPrivateKey(context, args),
            "public_key" => PublicKey(args),
            "state" => State(),
            _ => throw new NativeContractPanicException($"method {methodName} is not supported by the local MPC signer"),
        };
    }

    private byte[] RequestAppPrivateKey(NativeCallContext context, ReadOnlySpan<byte> args)
    {
        if (context.IsView) throw new NativeContractPanicException("request_app_private_key is a change method and cannot be called in a view");
        // The real contract requires a deposit (1 yoctoNEAR) so requests are signed by a full transaction path.
        if (context.AttachedDeposit < 1) throw new NativeContractPanicException("Attached deposit is lower than required: attach at least 1 yoctoNEAR");
        var request = ParseObject(args)["request"] as JsonObject ?? throw new NativeContractPanicException("expected {\"request\": {derivation_path, app_public_key, domain_id}}");
        string path = ReadString(request, "derivation_path");
        string appKeyText = ReadString(request, "app_public_key");
        uint requested = ReadDomain(request);
        if (requested != DomainId) throw new NativeContractPanicException($"domain {requested} is not a CKD domain of this signer (expected {DomainId})");
        try
        {
            var appPublicKey = BlsKeyText.ParseG1(appKeyText);
            if (TryTakeTimeout()) throw new NativeContractPanicException(TimeoutMessage);
            var response = mpc.RequestAppPrivateKey(context.PredecessorAccountId, path, appPublicKey);
            return Encoding.UTF8.GetBytes(response.ToJson());
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new NativeContractPanicException("invalid app_public_key: " + e.Message);
        }
    }

    /// <summary>Uses up one injected timeout, if any is left.</summary>
    private bool TryTakeTimeout()
    {
        while (true)
        {
            int left = Volatile.Read(ref _timeoutsLeft);
            if (left == 0) return false;
            if (Interlocked.CompareExchange(ref _timeoutsLeft, left - 1, left) == left) return true;
        }
    }

    private byte[] PublicKey(ReadOnlySpan<byte> args)
    {
        uint requested = ReadDomain(ParseObject(args));
        if (requested != DomainId) throw new NativeContractPanicException($"domain {requested} is not served by this signer (only {DomainId})");
        return Encoding.UTF8.GetBytes(JsonValue.Create(BlsKeyText.Encode(mpc.PublicKey)).ToJsonString());
    }

    /// <summary>
    /// near/mpc's <c>state</c> view, as far as clients read it: a running contract and its domain registry, here the one
    /// CKD domain this signer serves (<c>{"Running":{"domains":{"domains":[{"id",…,"purpose":"CKD"}],"next_domain_id"}}}</c>).
    /// </summary>
    private byte[] State() => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["Running"] = new JsonObject
        {
            ["domains"] = new JsonObject
            {
                ["domains"] = new JsonArray(new JsonObject
                {
                    ["id"] = DomainId,
                    ["protocol"] = "ConfidentialKeyDerivation",
                    ["reconstruction_threshold"] = 2,
                    ["purpose"] = "CKD",
                }),
                ["next_domain_id"] = DomainId + 1,
            },
        },
    }.ToJsonString());

    private static JsonObject ParseObject(ReadOnlySpan<byte> args)
    {
        try
        {
            return JsonNode.Parse(args.Length == 0 ? "{}"u8 : args) as JsonObject ?? throw new NativeContractPanicException("arguments must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new NativeContractPanicException("Failed to deserialize input from JSON: " + e.Message);
        }
    }

    private static string ReadString(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new NativeContractPanicException($"missing string field {name}");

    private static uint ReadDomain(JsonObject obj) =>
        obj["domain_id"] is JsonValue v && v.TryGetValue<uint>(out var d) ? d : throw new NativeContractPanicException("missing domain_id");
}
