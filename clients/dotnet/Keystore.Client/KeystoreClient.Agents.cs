using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>The owner's routes: agent keys, the account policy and the account's audit log (owner keys only; an agent key gets 403 <c>owner-only</c>).</summary>
public sealed partial class KeystoreClient
{
    /// <summary>Registers <paramref name="publicKey"/> (<c>ed25519:…</c>) as an agent key that signs under <paramref name="policy"/> until <paramref name="expiresAt"/>.</summary>
    public async Task<AgentInfo> CreateAgentAsync(string publicKey, string name, DateTimeOffset expiresAt, JsonNode policy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var body = new JsonObject { ["publicKey"] = publicKey, ["name"] = name, ["expiresAt"] = Rfc3339(expiresAt), ["policy"] = policy.DeepClone() };
        JsonNode answer = await SendAsync(HttpMethod.Post, $"{AccountPath}/agents", Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AgentInfo)!;
    }

    public async Task<IReadOnlyList<AgentInfo>> ListAgentsAsync(CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, $"{AccountPath}/agents", null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AgentList)!.Agents;
    }

    /// <summary>One agent key; 404 <c>agent-not-found</c> (a <see cref="KeystoreRequestException"/>) when the account has no such agent.</summary>
    public async Task<AgentInfo> GetAgentAsync(string publicKey, CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, AgentPath(publicKey), null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AgentInfo)!;
    }

    public async Task<AgentInfo> UpdateAgentAsync(string publicKey, AgentUpdate update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var body = new JsonObject();
        if (update.Name is not null) body["name"] = update.Name;
        if (update.ExpiresAt is { } expiresAt) body["expiresAt"] = Rfc3339(expiresAt);
        if (update.Policy is not null) body["policy"] = update.Policy.DeepClone();
        JsonNode answer = await SendAsync(HttpMethod.Put, AgentPath(publicKey), Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AgentInfo)!;
    }

    /// <summary>Revokes the agent key: it signs nothing from this answer on.</summary>
    public async Task<AgentRevocation> RevokeAgentAsync(string publicKey, CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Delete, AgentPath(publicKey), null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AgentRevocation)!;
    }

    public async Task<AccountPolicyInfo> GetPolicyAsync(CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, $"{AccountPath}/policy", null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AccountPolicyInfo)!;
    }

    /// <summary>Sets the freeze and the account policy document (<paramref name="rules"/> null: no account-wide rules).</summary>
    public async Task<AccountPolicyInfo> SetPolicyAsync(bool frozen, JsonNode? rules = null, CancellationToken ct = default)
    {
        var body = new JsonObject { ["frozen"] = frozen, ["rules"] = rules?.DeepClone() };
        JsonNode answer = await SendAsync(HttpMethod.Put, $"{AccountPath}/policy", Encoding.UTF8.GetBytes(body.ToJsonString()), signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AccountPolicyInfo)!;
    }

    /// <summary>A page of the account's signed audit entries (every signature, refusal, agent and policy change, export).</summary>
    public async Task<AuditPage> GetAuditAsync(AuditQuery? query = null, CancellationToken ct = default)
    {
        var parameters = new List<string>();
        if (query?.After is { } after) parameters.Add("after=" + after.ToString(CultureInfo.InvariantCulture));
        if (query?.Limit is { } limit) parameters.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        if (query?.Agent is { } agent) parameters.Add("agent=" + Uri.EscapeDataString(agent));
        if (query?.From is { } from) parameters.Add("from=" + Uri.EscapeDataString(Rfc3339(from)));
        if (query?.To is { } to) parameters.Add("to=" + Uri.EscapeDataString(Rfc3339(to)));
        string path = $"{AccountPath}/audit" + (parameters.Count == 0 ? "" : "?" + string.Join('&', parameters));
        JsonNode answer = await SendAsync(HttpMethod.Get, path, null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AuditPage)!;
    }

    /// <summary>The audit chain's head (unauthenticated): compare it with its NEAR anchor, or over time, to see that no entry was dropped.</summary>
    public async Task<AuditHeadInfo> GetAuditHeadAsync(CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, "/v1/audit/head", null, signed: false, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.AuditHeadInfo)!;
    }

    private string AgentPath(string publicKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(publicKey);
        // Sent as written: the keystore signs over its decoded path, where an escaped ':' would differ. A NEAR key
        // (ed25519:<base58>) needs no escaping; anything that would is not one.
        if (!publicKey.All(c => char.IsAsciiLetterOrDigit(c) || c == ':'))
            throw new ArgumentException("An agent key is 'ed25519:<base58>'.", nameof(publicKey));
        return $"{AccountPath}/agents/{publicKey}";
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
