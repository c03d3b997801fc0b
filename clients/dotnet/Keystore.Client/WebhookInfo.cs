namespace Keystore.Client;

/// <summary>The account's webhook as <c>GET …/webhook</c> shows it: never its secret.</summary>
public sealed record WebhookInfo(string Account, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);
