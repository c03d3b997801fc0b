using System.Text.Json;
using Keystore.Chains;

namespace Keystore.Api.ChainRequests;

/// <summary>Reading helpers the chains' request handlers share.</summary>
public static class ChainRequestJson
{
    /// <summary>
    /// The request must be a JSON object with exactly one of <paramref name="alternatives"/>
    /// (a null value counts as absent). Returns which one and its value.
    /// </summary>
    public static (string Name, JsonElement Value) SingleMember(JsonElement request, params string[] alternatives)
    {
        if (request.ValueKind != JsonValueKind.Object)
            throw new ChainRequestException(ChainError.InvalidRequest, "The sign request must be a JSON object.");
        (string Name, JsonElement Value)? found = null;
        foreach (var name in alternatives)
        {
            if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (found is not null)
                throw new ChainRequestException(ChainError.InvalidRequest, $"Give exactly one of {string.Join(", ", alternatives)}.");
            found = (name, value);
        }
        return found ?? throw new ChainRequestException(ChainError.InvalidRequest, $"Give exactly one of {string.Join(", ", alternatives)}.");
    }
}
