using System.Text;
using System.Text.Json;
using Keystore.Policies.Schema;

namespace Keystore.Agents;

/// <summary>Policy documents are stored only when the policy engine can read them: the schema and the rules beyond it.</summary>
public sealed class PolicyEngineDocumentValidator : IPolicyDocumentValidator
{
    public string? Validate(JsonElement document, PolicyDocumentKind kind)
    {
        byte[] json = Encoding.UTF8.GetBytes(document.GetRawText());
        PolicyValidation result = kind == PolicyDocumentKind.Agent
            ? PolicyDocumentValidator.ValidateAgent(json)
            : PolicyDocumentValidator.ValidateAccount(json);
        return result.Error?.ToString();
    }
}
