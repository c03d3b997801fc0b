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
    public static readonly ProblemType Internal = new("internal-error", 500, "Internal error");

    /// <summary>A chain signer's own rejection (<c>invalid-transaction</c>, <c>invalid-psbt</c>, …): always 400.</summary>
    public static ProblemType FromChain(string slug) => new(slug, 400, "The chain request cannot be signed");
}
