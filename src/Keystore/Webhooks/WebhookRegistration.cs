namespace Keystore.Webhooks;

/// <summary>An account's webhook as stored (sealed): where to post, which kinds, and the HMAC key (32 bytes).</summary>
public sealed record WebhookRegistration(string Url, IReadOnlyList<string> Events, byte[] Secret, DateTimeOffset CreatedAt);
