namespace Keystore.Client;

/// <summary>The answer of <c>DELETE …/webhook</c>.</summary>
public sealed record WebhookDeletion(string Account, bool Deleted);
