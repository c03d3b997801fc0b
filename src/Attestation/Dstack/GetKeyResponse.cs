using System.Text.Json.Serialization;

namespace Keystore.Attestation.Dstack;

/// <summary>Guest agent <c>GetKey</c> answer: the derived key (hex) and its signature chain (hex, up to the KMS root).</summary>
public sealed record GetKeyResponse(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("signature_chain")] IReadOnlyList<string> SignatureChain);
