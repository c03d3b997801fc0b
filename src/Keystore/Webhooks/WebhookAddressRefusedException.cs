namespace Keystore.Webhooks;

/// <summary>A delivery's host resolved to an address webhooks may not reach: the delivery is given up, not retried.</summary>
public sealed class WebhookAddressRefusedException(string message) : IOException(message);
