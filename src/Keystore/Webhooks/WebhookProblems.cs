using Keystore.Problems;

namespace Keystore.Webhooks;

/// <summary>The problems of the webhook routes.</summary>
public static class WebhookProblems
{
    public static readonly ProblemType InvalidWebhook = new("invalid-webhook", 400, "The webhook request is malformed");
    public static readonly ProblemType UrlRefused = new("webhook-url-refused", 400, "The webhook URL may not be used");
    public static readonly ProblemType NotFound = new("webhook-not-found", 404, "The account has no webhook");
}
