using Keystore.Near.Nep413;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Keystore.Auth;

/// <summary>
/// Checks that a request was signed, NEP-413 style, by a full-access key of the account it acts
/// for. Order matters: the signature is verified before the nonce is consumed (so nobody can burn
/// someone else's nonces), and ownership is checked last (so 403 means "valid signer, wrong account").
/// </summary>
public sealed class NearRequestAuthenticator(
    IOptionsMonitor<KeystoreOptions> options,
    IOwnerKeySource owners,
    NonceReplayGuard nonces,
    TimeProvider time,
    ILogger<NearRequestAuthenticator> logger)
{
    public async Task<NearAuthorization> AuthenticateAsync(HttpRequest request, string accountId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        KeystoreOptions o = options.CurrentValue;
        NearAuthorization auth = NearAuthorization.Parse(request.Headers.Authorization.ToString());

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(now - auth.TimestampMs) > (long)o.Auth.MaxClockSkew.TotalMilliseconds)
            throw new ProblemException(ProblemTypes.ExpiredAuthorization,
                $"timestampMs must be within {o.Auth.MaxClockSkew.TotalMinutes:0.#} minutes of the keystore's clock.");

        string pathAndQuery = request.PathBase + request.Path + request.QueryString;
        string message = NearAuthorization.SignedMessage(request.Method, pathAndQuery, body.Span, auth.TimestampMs);
        byte[] digest = Nep413Payload.Hash(message, auth.Nonce, o.ServiceName);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, auth.PublicKey, KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, digest, auth.Signature))
            throw new ProblemException(ProblemTypes.BadSignature,
                $"The signature does not verify over NEP-413 {{message: \"<METHOD> <path>\\n<sha256 hex of body>\\n<timestampMs>\", recipient: \"{o.ServiceName}\"}}.");

        if (!nonces.TryUse(auth.PublicKeyText, auth.Nonce, o.Auth.MaxClockSkew))
            throw new ProblemException(ProblemTypes.ReplayedNonce, "This nonce was already used; sign every request with a fresh random nonce.");

        if (!string.Equals(auth.AccountId, accountId, StringComparison.Ordinal))
            throw new ProblemException(ProblemTypes.NotAccountOwner, $"The request is signed for '{auth.AccountId}', not for '{accountId}'.");

        IReadOnlyCollection<string> keys = await owners.GetFullAccessKeysAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (!keys.Contains(auth.PublicKeyText, StringComparer.Ordinal))
        {
            logger.LogInformation("Rejected a request for {Account}: key {PublicKey} is not a full-access key of it.", accountId, auth.PublicKeyText);
            throw new ProblemException(ProblemTypes.NotAccountOwner, $"{auth.PublicKeyText} is not a full-access key of '{accountId}'.");
        }
        return auth;
    }
}
