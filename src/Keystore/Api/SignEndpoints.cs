using System.Security.Cryptography;
using System.Text;
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
            var results = new JsonArray();
            int signed = 0;
            foreach (JsonElement item in items.EnumerateArray())
            {
                try
                {
                    if (item.ValueKind != JsonValueKind.Object)
                        throw new ProblemException(ProblemTypes.InvalidRequest, "A batch item must be a JSON object.");
                    JsonObject result = chainSigner.Sign(account, signer, ChainRequestSigner.Index(item), item, caller.PublicKeyText);
                    // Recorded before it is handed out: a signature the audit log cannot hold is not given.
                    await audit.AppendAsync(new AuditEvent(account, AuditKinds.Signed)
                    {
                        Chain = signer.Name,
                        PayloadHash = SHA256.HashData(Encoding.UTF8.GetBytes(item.GetRawText())),
                    }, CancellationToken.None);
                    results.Add(new JsonObject { ["result"] = result });
                    signed++;
                }
                catch (ProblemException ex)
                {
                    results.Add(new JsonObject { ["problem"] = ProblemJson(ex.Problem, ex.Message) });
                }
                catch (ChainRequestException ex)
                {
                    ProblemException problem = ChainProblems.ToProblem(ex);
                    results.Add(new JsonObject { ["problem"] = ProblemJson(problem.Problem, problem.Message) });
                }
            }
            loggers.CreateLogger("Keystore.Sign").LogInformation(
                "Signed {Signed} of {Count} batch items for {Account} on {Chain} (key {PublicKey}).", signed, count, account, signer.Name, caller.PublicKeyText);
            return Results.Text(new JsonObject { ["results"] = results }.ToJsonString(), "application/json");
        });
        return app;
    }

    /// <summary>Items one batch may hold: bounded so one request cannot hold a worker for long.</summary>
    public const int MaxBatchItems = 100;

    /// <summary>The RFC 9457 members of a per-item problem, as the single route would answer them.</summary>
    private static JsonObject ProblemJson(ProblemType type, string detail) => new()
    {
        ["type"] = type.Uri,
        ["title"] = type.Title,
        ["status"] = type.Status,
        ["detail"] = detail,
    };
}
