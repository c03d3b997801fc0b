using Keystore.Configuration;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using Keystore.Problems;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Keystore.Auth;

/// <summary>
/// Checks that a request was signed, NEP-413 style, by a full-access key of the account it acts for.
/// Order matters, cheapest and stateless first:
/// <list type="number">
/// <item>parse the credential;</item>
/// <item>timestamp window (compared without subtraction, so no timestamp can overflow the arithmetic);</item>
/// <item>signature (so nobody can act with, or burn the nonces of, a key they do not hold);</item>
/// <item>ownership: the account named in the route, then its owner keys (cached, bounded, misses cached)
/// — 403 means "valid signer, wrong account";</item>
/// <item>nonce, last: only a request from an account's owner can take a slot in the bounded nonce memory,
/// so an unrelated key can neither fill it nor drive owner lookups per nonce.</item>
/// </list>
/// </summary>
/// <remarks>
/// Options are read once (<see cref="IOptions{TOptions}"/>): the replay guard keeps each nonce for the clock-skew
/// window it was accepted under, so a skew or service name changed under a running instance would reopen replays.
/// Only the offline owner map follows a configuration reload (<see cref="ConfiguredOwnerKeySource"/>).
/// </remarks>
public sealed class NearRequestAuthenticator(
    IOptions<KeystoreOptions> options,
    IOwnerKeySource owners,
    NonceReplayGuard nonces,
    TimeProvider time,
    ILogger<NearRequestAuthenticator> logger)
{
    public async Task<NearAuthorization> AuthenticateAsync(HttpRequest request, string accountId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        KeystoreOptions o = options.Value;
        NearAuthorization auth = NearAuthorization.Parse(request.Headers.Authorization.ToString());

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long skew = (long)o.Auth.MaxClockSkew.TotalMilliseconds;
        // now ± skew cannot overflow (skew ≤ 1 h); now − timestampMs could, for any timestamp near long.MinValue.
        if (auth.TimestampMs < now - skew || auth.TimestampMs > now + skew)
            throw new ProblemException(ProblemTypes.ExpiredAuthorization,
                $"timestampMs must be within {o.Auth.MaxClockSkew.TotalMinutes:0.#} minutes of the keystore's clock.");

        string pathAndQuery = request.PathBase + request.Path + request.QueryString;
        string message = NearAuthorization.SignedMessage(request.Method, pathAndQuery, body.Span, auth.TimestampMs);
        byte[] digest = Nep413Payload.Hash(message, auth.Nonce, o.ServiceName);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, auth.PublicKey, KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, digest, auth.Signature))
            throw new ProblemException(ProblemTypes.BadSignature,
                $"The signature does not verify over NEP-413 {{message: \"<METHOD> <path>\\n<sha256 hex of body>\\n<timestampMs>\", recipient: \"{o.ServiceName}\"}}.");

        if (!string.Equals(auth.AccountId, accountId, StringComparison.Ordinal))
            throw new ProblemException(ProblemTypes.NotAccountOwner, $"The request is signed for '{auth.AccountId}', not for '{accountId}'.");

        var signer = new Ed25519PublicKey(auth.PublicKey);
        IReadOnlySet<Ed25519PublicKey> keys = await owners.GetFullAccessKeysAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (!keys.Contains(signer))
        {
            logger.LogInformation("Rejected a request for {Account}: key {PublicKey} is not a full-access key of it.", accountId, signer);
            throw new ProblemException(ProblemTypes.NotAccountOwner, $"{signer} is not a full-access key of '{accountId}'.");
        }

        switch (nonces.TryUse(auth.PublicKey, auth.Nonce, auth.TimestampMs, o.Auth.MaxClockSkew))
        {
            case NonceUse.Replayed:
                throw new ProblemException(ProblemTypes.ReplayedNonce, "This nonce was already used; sign every request with a fresh random nonce.");
            case NonceUse.Busy:
                throw new ProblemException(ProblemTypes.Busy,
                    "Too many signed requests are inside their replay window right now (Keystore:Auth:NonceCapacity); retry in a few seconds.");
        }
        return auth;
    }
}
