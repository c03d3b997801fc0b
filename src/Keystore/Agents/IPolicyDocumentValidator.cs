using System.Text.Json;

namespace Keystore.Agents;

/// <summary>
/// Decides whether a policy document may be stored. The policy engine supplies the real one (its JSON Schema and
/// rule checks): <see cref="PolicyEngineDocumentValidator"/>.
/// </summary>
public interface IPolicyDocumentValidator
{
    /// <summary>Null when valid; otherwise what is wrong, naming the bad field (e.g. <c>rules[2].limit</c>).</summary>
    string? Validate(JsonElement document, PolicyDocumentKind kind);
}
