using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Near.Rpc;

/// <summary>
/// The CKD domains of a NEAR MPC contract, read from its <c>state</c> view (near/mpc,
/// <c>crates/contract/src/api/lifecycle.rs</c>): <c>{"Running":{"domains":{"domains":[{"id":…,"purpose":"CKD",…}],…},…}}</c>.
/// Domain ids are assigned by the MPC network's votes (<c>vote_add_domains</c>) and differ between networks, so a
/// keystore reads them rather than assuming one. A domain serves CKD when its <c>purpose</c> is <c>CKD</c>; contracts
/// from before domain purposes name its <c>scheme</c> (or <c>curve</c>) <c>Bls12381</c>, or its <c>protocol</c>
/// <c>ConfidentialKeyDerivation</c>.
/// </summary>
public sealed class NearRpcMpcDomains(NearRpcClient rpc, string mpcContractId)
{
    /// <summary>The ids of the domains that answer <c>request_app_private_key</c>, lowest first.</summary>
    /// <exception cref="FormatException">The contract is not running, or answered a state this client does not read.</exception>
    public async Task<IReadOnlyList<ulong>> GetCkdDomainIdsAsync(CancellationToken cancellationToken)
    {
        JsonNode? state;
        try
        {
            state = await rpc.CallFunctionJsonAsync(mpcContractId, "state", "{}", cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{mpcContractId}.state returned invalid JSON: {e.Message}", e);
        }
        return CkdDomainIds(mpcContractId, state);
    }

    /// <summary>Reads the CKD domain ids out of a <c>state</c> answer.</summary>
    public static IReadOnlyList<ulong> CkdDomainIds(string mpcContractId, JsonNode? state)
    {
        JsonNode? running = state switch
        {
            JsonObject o when o["Running"] is JsonObject r => r,
            // While keys are reshared, the previous running state still serves requests.
            JsonObject o when o["Resharing"]?["previous_running_state"] is JsonObject r => r,
            JsonObject o => throw new FormatException($"{mpcContractId} is in state {string.Join(",", o.Select(p => p.Key))}, not Running: it serves no CKD request now."),
            JsonValue v when v.TryGetValue(out string? name) => throw new FormatException($"{mpcContractId} is in state {name}, not Running: it serves no CKD request now."),
            _ => throw new FormatException($"{mpcContractId}.state returned no contract state."),
        };
        if (running["domains"]?["domains"] is not JsonArray domains)
            throw new FormatException($"{mpcContractId}.state has no domain registry (Running.domains.domains).");

        var ids = new List<ulong>();
        foreach (JsonNode? domain in domains)
        {
            if (domain is not JsonObject d || d["id"] is not JsonValue idValue || !idValue.TryGetValue(out ulong id))
                throw new FormatException($"{mpcContractId}.state lists a domain without a numeric id.");
            if (IsCkd(d)) ids.Add(id);
        }
        ids.Sort();
        return ids;
    }

    private static bool IsCkd(JsonObject domain)
    {
        if (Text(domain, "purpose") is { } purpose) return purpose == "CKD";
        return Text(domain, "scheme") == "Bls12381" || Text(domain, "curve") == "Bls12381"
            || Text(domain, "protocol") == "ConfidentialKeyDerivation";
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
