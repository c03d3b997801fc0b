using System.Text.Json;

namespace Keystore.Agents;

/// <summary>The shape every policy document has, whatever the engine: a JSON object of at most 64 KiB.</summary>
public sealed class JsonObjectPolicyValidator : IPolicyDocumentValidator
{
    public const int MaxBytes = 64 * 1024;

    public string? Validate(JsonElement document, PolicyDocumentKind kind)
    {
        if (document.ValueKind != JsonValueKind.Object)
            return "policy must be a JSON object.";
        return document.GetRawText().Length > MaxBytes ? $"policy must be at most {MaxBytes} bytes of JSON." : null;
    }
}
