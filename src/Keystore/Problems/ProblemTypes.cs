namespace Keystore.Problems;

/// <summary>Every problem type the API can answer with. Chain-specific slugs come from the chain signers.</summary>
public static class ProblemTypes
{
    public static readonly ProblemType InvalidJson = new("invalid-json", 400, "The body is not valid JSON");
    public static readonly ProblemType InvalidRequest = new("invalid-request", 400, "The request is malformed");
    public static readonly ProblemType InvalidAccount = new("invalid-account", 400, "Not a valid NEAR account id");
    public static readonly ProblemType UnknownChain = new("unknown-chain", 400, "Unknown chain");
    public static readonly ProblemType InvalidIndex = new("invalid-index", 400, "Invalid key index");
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", 413, "The body is too large");
    public static readonly ProblemType MissingAuthorization = new("missing-authorization", 401, "Authorization required");
    public static readonly ProblemType InvalidAuthorization = new("invalid-authorization", 401, "Malformed Authorization header");
    public static readonly ProblemType ExpiredAuthorization = new("expired-authorization", 401, "The signed request is outside the time window");
    public static readonly ProblemType ReplayedNonce = new("replayed-nonce", 401, "This nonce was already used");
    public static readonly ProblemType BadSignature = new("bad-signature", 401, "The request signature does not verify");
    public static readonly ProblemType NotAccountOwner = new("not-account-owner", 403, "The signer does not own this account");
    public static readonly ProblemType NotReady = new("not-ready", 503, "The keystore is not ready");
    public static readonly ProblemType OwnerKeysUnavailable = new("owner-keys-unavailable", 503, "The account's keys cannot be read from NEAR right now");
    public static readonly ProblemType NotAttested = new("not-attested", 503, "This instance has no attestation yet");
    public static readonly ProblemType NotFound = new("not-found", 404, "No such route");
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", 405, "The route does not take this method");
    public static readonly ProblemType RateLimited = new("rate-limited", 429, "Too many requests from this client");
    public static readonly ProblemType Busy = new("busy", 503, "The keystore is busy");
    public static readonly ProblemType Internal = new("internal-error", 500, "Internal error");

    /// <summary>
    /// The problem for a bare status code that the HTTP stack produced without a body (routing's 404 and 405,
    /// or any other): the project's own type, never a generic RFC 9110 link.
    /// </summary>
    public static ProblemType ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        429 => RateLimited,
        _ => new ProblemType($"http-{status}", status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "HTTP error"),
    };
}
