namespace Keystore.Client;

/// <summary>
/// The answer of <c>PUT …/webhook</c>, the only one that carries <see cref="Secret"/> (32 bytes, base64url): keep it where the
/// receiver can read it and pass it to <see cref="WebhookSignatureVerifier.Verify"/>. A new PUT replaces it.
/// </summary>
public sealed record CreatedWebhook(string Account, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string Secret)
{
    /// <summary>Without the secret, so the record can be logged.</summary>
    public override string ToString() => $"CreatedWebhook {{ Account = {Account}, Url = {Url}, Events = [{string.Join(", ", Events)}], CreatedAt = {CreatedAt:O} }}";
}
