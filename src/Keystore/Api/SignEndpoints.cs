using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Agents;
using Keystore.Api.ChainRequests;
using Keystore.Audit;
using Keystore.Auth;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

public static class SignEndpoints
{
    /// <summary>
    /// Validation runs outside-in (route, size, authentication, readiness, JSON, chain fields) and
    /// the key is derived only after all of it passed; any failure leaves nothing signed.
    /// </summary>
    public static IEndpointRouteBuilder MapSignEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{account}/sign/{chain}", async (string account, string chain, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, ChainRequestSigner chainSigner, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, SigningGuard guard) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            AuthenticatedCaller caller = await authenticator.AuthenticateCallerAsync(http.Request, account, body, http.RequestAborted);
            state.RequireMasterSecret();

            using JsonDocument document = StrictJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ProblemException(ProblemTypes.InvalidRequest, "The body must be a JSON object.");
            uint index = ChainRequestSigner.Index(document.RootElement);

            // Idempotency, the freeze, an agent's policy and its spending windows: nothing is derived unless they allow it.
            // A ChainRequestException from signing is mapped by the problem middleware, as anywhere else.
            return await guard.RunAsync(http, account, signer.Name, caller, body,
                () => chainSigner.Sign(account, signer, index, document.RootElement, caller.PublicKeyText));
        });

        app.MapPost("/v1/accounts/{account}/sign-batch/{chain}", async (string account, string chain, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, ChainRequestSigner chainSigner, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, ILoggerFactory loggers, AccountFreeze freeze, IAuditLog audit) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            // Owners only: a batch skips the per-request policy gate, so agent keys sign one request at a time.
            NearAuthorization caller = await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted);
            state.RequireMasterSecret();
            if ((await freeze.CheckAsync(account, http.RequestAborted)).Frozen)
                return await freeze.RefuseAsync(new AuditEvent(account, AuditKinds.Denied) { Chain = signer.Name, PayloadHash = SHA256.HashData(body) });

            using JsonDocument document = StrictJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("items", out JsonElement items) || items.ValueKind != JsonValueKind.Array
                || document.RootElement.EnumerateObject().Count() != 1)
                throw new ProblemException(ProblemTypes.InvalidRequest, "The body must be {\"items\": [sign request, …]}.");
            int count = items.GetArrayLength();
            if (count is 0 or > MaxBatchItems)
                throw new ProblemException(ProblemTypes.InvalidRequest, $"A batch holds 1 to {MaxBatchItems} items.");

            // Each item is one sign request of the single route, judged on its own: a bad item gets its problem
            // and nothing signed for it, the others are still signed.
            var outcomes = new BatchOutcome[count];
            var decisions = new List<AuditEvent>(count);
            int at = 0;
            foreach (JsonElement item in items.EnumerateArray())
            {
                try
                {
                    if (item.ValueKind != JsonValueKind.Object)
                        throw new ProblemException(ProblemTypes.InvalidRequest, "A batch item must be a JSON object.");
                    JsonObject result = chainSigner.Sign(account, signer, ChainRequestSigner.Index(item), item, caller.PublicKeyText);
                    outcomes[at] = new BatchOutcome(result, null);
                    decisions.Add(new AuditEvent(account, AuditKinds.Signed)
                    {
                        Chain = signer.Name,
                        PayloadHash = SHA256.HashData(JsonMarshal.GetRawUtf8Value(item)),
                    });
                }
                catch (ProblemException ex)
                {
                    outcomes[at] = new BatchOutcome(null, ex);
                }
                catch (ChainRequestException ex)
                {
                    outcomes[at] = new BatchOutcome(null, ChainProblems.ToProblem(ex));
                }
                at++;
            }
            // Each signature is recorded before it is handed out: a signature the audit log cannot hold is not given. The
            // entries are appended together, in item order, so the log's group commit writes them in one transaction and
            // this request waits once for all of them.
            int signed = 0;
            if (decisions.Count > 0)
            {
                Task<AuditEntry>[] recorded;
                try
                {
                    recorded = await audit.AppendAllAsync(decisions, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ProblemException ex)
                {
                    recorded = [.. decisions.Select(_ => Task.FromException<AuditEntry>(ex))];
                }
                int next = 0;
                for (int i = 0; i < outcomes.Length; i++)
                {
                    if (outcomes[i].Result is null)
                        continue;
                    Task<AuditEntry> entry = recorded[next++];
                    if (entry.IsCompletedSuccessfully)
                        signed++;
                    else if (entry.Exception?.InnerException is ProblemException ex)
                        outcomes[i] = new BatchOutcome(null, ex);
                    else
                        // Any other failure of the log fails the whole answer, as it would on the single route: nothing handed out.
                        await entry.ConfigureAwait(false);
                }
            }
            loggers.CreateLogger("Keystore.Sign").LogInformation(
                "Signed {Signed} of {Count} batch items for {Account} on {Chain} (key {PublicKey}).", signed, count, account, signer.Name, caller.PublicKeyText);
            return Results.Bytes(BatchAnswer(outcomes), "application/json");
        });
        return app;
    }

    /// <summary>Items one batch may hold: bounded so one request cannot hold a worker for long.</summary>
    public const int MaxBatchItems = 100;

    /// <summary>One batch item's outcome: its signature, or its problem.</summary>
    private readonly record struct BatchOutcome(JsonObject? Result, ProblemException? Problem);

    /// <summary>
    /// <c>{"results": [{"result": …} | {"problem": {type, title, status, detail}}, …]}</c>, written once into UTF-8 (the
    /// members of a per-item problem are the RFC 9457 ones the single route would answer).
    /// </summary>
    private static ReadOnlyMemory<byte> BatchAnswer(BatchOutcome[] outcomes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * outcomes.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results");
            foreach (BatchOutcome outcome in outcomes)
            {
                writer.WriteStartObject();
                if (outcome.Result is { } result)
                {
                    writer.WritePropertyName("result");
                    result.WriteTo(writer);
                }
                else
                {
                    ProblemType type = outcome.Problem!.Problem;
                    writer.WriteStartObject("problem");
                    writer.WriteString("type", type.Uri);
                    writer.WriteString("title", type.Title);
                    writer.WriteNumber("status", type.Status);
                    writer.WriteString("detail", outcome.Problem.Message);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
