using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api;
using Keystore.Audit;
using Keystore.Auth;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.Near.Keys;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Agents;

/// <summary>
/// The owner's routes for agent keys and the account-wide policy. Every one is signed by a full-access key of the
/// account (NEP-413, as any owner request); an agent key gets 403 <c>owner-only</c>. GETs are signed over an empty body.
/// </summary>
public static class AgentEndpoints
{
    private const int MaxNameLength = 64;
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);

    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{account}/agents", async (string account, HttpContext http, Owner owner, AgentStore agents, IPolicyDocumentValidator validator, TimeProvider time,
            IAuditLog audit) =>
        {
            JsonElement body = await owner.AuthenticateAsync(http, account);
            RequireObject(body, "publicKey", "name", "expiresAt", "policy");
            string publicKey = PublicKey(Required(body, "publicKey"));
            string name = Name(Required(body, "name"));
            DateTimeOffset expiresAt = ExpiresAt(Required(body, "expiresAt"), time.GetUtcNow());
            string policy = Policy(Required(body, "policy"), validator, PolicyDocumentKind.Agent);
            AgentRecord agent = await agents.CreateAgentAsync(account, publicKey, name, expiresAt, policy, http.RequestAborted);
            await audit.AppendAsync(AgentChange(account, AuditKinds.AgentAdded, agent), CancellationToken.None);
            return Json(Describe(agent, time.GetUtcNow()), StatusCodes.Status201Created);
        });

        app.MapGet("/v1/accounts/{account}/agents", async (string account, HttpContext http, Owner owner, AgentStore agents, TimeProvider time) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            IReadOnlyList<AgentRecord> list = await agents.ListAgentsAsync(account, http.RequestAborted);
            DateTimeOffset now = time.GetUtcNow();
            return Json(new JsonObject { ["account"] = account, ["agents"] = new JsonArray(list.Select(a => (JsonNode?)Describe(a, now)).ToArray()) });
        });

        app.MapGet("/v1/accounts/{account}/agents/{publicKey}", async (string account, string publicKey, HttpContext http, Owner owner, AgentStore agents, TimeProvider time) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            string key = PublicKey(publicKey);
            AgentRecord agent = await agents.GetAgentAsync(account, key, http.RequestAborted)
                ?? throw new ProblemException(AgentProblems.AgentNotFound, $"{key} is not an agent key of '{account}'.");
            return Json(Describe(agent, time.GetUtcNow()));
        });

        app.MapPut("/v1/accounts/{account}/agents/{publicKey}", async (string account, string publicKey, HttpContext http, Owner owner, AgentStore agents,
            IPolicyDocumentValidator validator, TimeProvider time, IAuditLog audit) =>
        {
            JsonElement body = await owner.AuthenticateAsync(http, account);
            string key = PublicKey(publicKey);
            RequireObject(body, "name", "expiresAt", "policy");
            string? name = body.TryGetProperty("name", out JsonElement n) ? Name(n) : null;
            DateTimeOffset? expiresAt = body.TryGetProperty("expiresAt", out JsonElement e) ? ExpiresAt(e, time.GetUtcNow()) : null;
            string? policy = body.TryGetProperty("policy", out JsonElement p) ? Policy(p, validator, PolicyDocumentKind.Agent) : null;
            if (name is null && expiresAt is null && policy is null)
                throw new ProblemException(AgentProblems.InvalidAgent, "Send at least one of name, expiresAt and policy.");
            AgentRecord agent = await agents.UpdateAgentAsync(account, key, name, expiresAt, policy, http.RequestAborted);
            await audit.AppendAsync(AgentChange(account, AuditKinds.AgentUpdated, agent), CancellationToken.None);
            return Json(Describe(agent, time.GetUtcNow()));
        });

        app.MapDelete("/v1/accounts/{account}/agents/{publicKey}", async (string account, string publicKey, HttpContext http, Owner owner, AgentStore agents, IAuditLog audit) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            string key = PublicKey(publicKey);
            long version = await agents.RevokeAgentAsync(account, key, http.RequestAborted);
            await audit.AppendAsync(new AuditEvent(account, AuditKinds.AgentRevoked) { Agent = key, Detail = $"account version {version}" }, CancellationToken.None);
            return Json(new JsonObject { ["account"] = account, ["publicKey"] = key, ["revoked"] = true, ["accountVersion"] = version });
        });

        app.MapGet("/v1/accounts/{account}/policy", async (string account, HttpContext http, Owner owner, AgentStore agents) =>
        {
            await owner.AuthenticateAsync(http, account, expectBody: false);
            return Json(Describe(account, await agents.GetAccountPolicyAsync(account, http.RequestAborted)));
        });

        app.MapPut("/v1/accounts/{account}/policy", async (string account, HttpContext http, Owner owner, AgentStore agents, IPolicyDocumentValidator validator, IAuditLog audit) =>
        {
            JsonElement body = await owner.AuthenticateAsync(http, account);
            RequireObject(body, "frozen", "rules");
            JsonElement frozen = Required(body, "frozen");
            if (frozen.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw new ProblemException(AgentProblems.InvalidPolicy, "frozen must be true or false.");
            string? rules = body.TryGetProperty("rules", out JsonElement r) && r.ValueKind != JsonValueKind.Null ? Policy(r, validator, PolicyDocumentKind.Account) : null;
            AccountPolicy policy = await agents.SetAccountPolicyAsync(account, frozen.GetBoolean(), rules, http.RequestAborted);
            await audit.AppendAsync(new AuditEvent(account, policy.Frozen ? AuditKinds.Frozen : AuditKinds.PolicyChanged)
            {
                PayloadHash = rules is null ? null : System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rules)),
                Detail = $"frozen={(policy.Frozen ? "true" : "false")}",
            }, CancellationToken.None);
            return Json(Describe(account, policy));
        });
        return app;
    }

    /// <summary>The agent change as audited: the policy only as its hash.</summary>
    private static AuditEvent AgentChange(string account, string kind, AgentRecord agent) => new(account, kind)
    {
        Agent = agent.PublicKey,
        PayloadHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(agent.Policy)),
        Detail = $"agent version {agent.Version}",
    };

    private static IResult Json(JsonObject body, int status = StatusCodes.Status200OK) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static JsonObject Describe(AgentRecord agent, DateTimeOffset now) => new()
    {
        ["publicKey"] = agent.PublicKey,
        ["name"] = agent.Name,
        ["createdAt"] = agent.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["updatedAt"] = agent.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["expiresAt"] = agent.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
        ["active"] = agent.IsActiveAt(now),
        ["version"] = agent.Version,
        ["policy"] = JsonNode.Parse(agent.Policy),
    };

    private static JsonObject Describe(string account, AccountPolicy policy) => new()
    {
        ["account"] = account,
        ["frozen"] = policy.Frozen,
        ["rules"] = policy.Rules is null ? null : JsonNode.Parse(policy.Rules),
        ["version"] = policy.Version,
        ["updatedAt"] = policy.UpdatedAt?.ToString("O", CultureInfo.InvariantCulture),
    };

    private static void RequireObject(JsonElement body, params string[] allowed)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new ProblemException(AgentProblems.InvalidAgent, "The body must be a JSON object.");
        foreach (JsonProperty property in body.EnumerateObject())
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                throw new ProblemException(AgentProblems.InvalidAgent, $"Unknown member '{property.Name}'; this route takes {string.Join(", ", allowed)}.");
    }

    private static JsonElement Required(JsonElement body, string name) =>
        body.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new ProblemException(AgentProblems.InvalidAgent, $"{name} is required.");

    private static string PublicKey(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? PublicKey(value.GetString()!) : throw new ProblemException(AgentProblems.InvalidAgent, "publicKey must be a string 'ed25519:<base58>'.");

    private static string PublicKey(string text) =>
        text.StartsWith("ed25519:", StringComparison.Ordinal) && Ed25519PublicKey.TryParse(text, out Ed25519PublicKey key)
            ? key.ToString()
            : throw new ProblemException(AgentProblems.InvalidAgent, "publicKey must be 'ed25519:<base58 of 32 bytes>'.");

    private static string Name(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: >= 1 and <= MaxNameLength } name || name.Any(char.IsControl) || name.Trim().Length == 0)
            throw new ProblemException(AgentProblems.InvalidAgent, $"name must be 1 to {MaxNameLength} characters, not blank, without control characters.");
        return name;
    }

    private static DateTimeOffset ExpiresAt(JsonElement value, DateTimeOffset now)
    {
        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParseExact(value.GetString(), ["yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at))
            throw new ProblemException(AgentProblems.InvalidAgent, "expiresAt must be an RFC 3339 date-time with its offset, e.g. 2027-01-31T00:00:00Z.");
        if (at <= now || at - now > MaxLifetime)
            throw new ProblemException(AgentProblems.InvalidAgent, "expiresAt must be in the future and at most ten years away.");
        return at.ToUniversalTime();
    }

    private static string Policy(JsonElement value, IPolicyDocumentValidator validator, PolicyDocumentKind kind)
    {
        if (validator.Validate(value, kind) is { } error)
            throw new ProblemException(AgentProblems.InvalidPolicy, error);
        return value.GetRawText();
    }

    /// <summary>The owner check every route here starts with, and the body it signed, parsed strictly.</summary>
    public sealed class Owner(NearRequestAuthenticator authenticator, IOptions<KeystoreOptions> options)
    {
        public async Task<JsonElement> AuthenticateAsync(HttpContext http, string account, bool expectBody = true)
        {
            RequestValidation.Account(account);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted).ConfigureAwait(false);
            await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted).ConfigureAwait(false);
            if (!expectBody)
            {
                if (body.Length != 0)
                    throw new ProblemException(ProblemTypes.InvalidRequest, "This route takes no body.");
                return default;
            }
            using JsonDocument document = StrictJson.Parse(body);
            return document.RootElement.Clone();
        }
    }
}
