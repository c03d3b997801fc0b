using Keystore.Agents;
using Keystore.Configuration;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using Keystore.Problems;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Keystore.Auth;

/// <summary>
/// Checks that a request was signed, NEP-413 style, by a full-access key of the account it acts for (its owner) or by
/// one of the agent keys the owner registered. Order matters, cheapest and stateless first:
/// <list type="number">
/// <item>parse the credential;</item>
/// <item>timestamp window (compared without subtraction, so no timestamp can overflow the arithmetic);</item>
/// <item>signature (so nobody can act with, or burn the nonces of, a key they do not hold);</item>
/// <item>ownership: the account named in the route, then its owner keys (cached, bounded, misses cached), then its
/// agent keys (read through the state store on every request, so a revocation holds at once on every instance)
/// — 403 means "valid signer, wrong account";</item>
/// <item>nonce, last: only a request from an account's owner or agent can take a slot in the nonce store, so an unrelated
/// key can neither fill it nor drive lookups per nonce. The owners' keys share one bounded share and each agent key has its
/// own, so an agent that fills its share cannot lock the owner out of freezing the account or revoking it.</item>
/// </list>
/// </summary>
/// <remarks>
/// Options are read once (<see cref="IOptions{TOptions}"/>): the replay guard keeps each nonce for the clock-skew
/// window it was accepted under, so a skew or service name changed under a running instance would reopen replays.
/// Only the offline owner map follows a configuration reload (<see cref="ConfiguredOwnerKeySource"/>), where the
/// operator turned reloading on.
/// </remarks>
public sealed class NearRequestAuthenticator(
    IOptions<KeystoreOptions> options,
    IOwnerKeySource owners,
    NonceReplayGuard nonces,
    AgentStore agents,
    TimeProvider time,
    ILogger<NearRequestAuthenticator> logger)
{
    /// <summary>For owner-only routes (publish, agent keys, policy): an agent key is refused with 403 <c>owner-only</c>.</summary>
    public async Task<NearAuthorization> AuthenticateAsync(HttpRequest request, string accountId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        AuthenticatedCaller caller = await AuthenticateCallerAsync(request, accountId, body, ownerOnly: true, cancellationToken).ConfigureAwait(false);
        return caller.Credential;
    }

    /// <summary>For routes agents may use (signing): the owner or an active agent key of the account.</summary>
    public Task<AuthenticatedCaller> AuthenticateCallerAsync(HttpRequest request, string accountId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        AuthenticateCallerAsync(request, accountId, body, ownerOnly: false, cancellationToken);

    private async Task<AuthenticatedCaller> AuthenticateCallerAsync(HttpRequest request, string accountId, ReadOnlyMemory<byte> body, bool ownerOnly,
        CancellationToken cancellationToken)
    {
        KeystoreOptions o = options.Value;
        NearAuthorization auth = NearAuthorization.Parse(request.Headers.Authorization.ToString());

        DateTimeOffset clock = time.GetUtcNow();
        long now = clock.ToUnixTimeMilliseconds();
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
        AgentRecord? agent = null;
        if (!keys.Contains(signer))
        {
            agent = await agents.GetAgentAsync(accountId, signer.ToString(), cancellationToken).ConfigureAwait(false);
            if (agent is null || !agent.IsActiveAt(clock))
            {
                logger.LogInformation("Rejected a request for {Account}: key {PublicKey} is neither a full-access key nor an active agent key of it.", accountId, signer);
                throw new ProblemException(ProblemTypes.NotAccountOwner,
                    agent is null ? $"{signer} is not a full-access key of '{accountId}'." : $"The agent key {signer} of '{accountId}' expired at {agent.ExpiresAt:O}.");
            }
            if (ownerOnly)
                throw new ProblemException(AgentProblems.OwnerOnly, $"{signer} is an agent key of '{accountId}'; only a full-access key of the account may do this.");
        }

        switch (await nonces.TryUseAsync(accountId, auth.PublicKey, agentKey: agent is not null, auth.Nonce, auth.TimestampMs, o.Auth.MaxClockSkew, o.Auth.NonceCapacity, cancellationToken).ConfigureAwait(false))
        {
            case NonceUse.Replayed:
                throw new ProblemException(ProblemTypes.ReplayedNonce, "This nonce was already used; sign every request with a fresh random nonce.");
            case NonceUse.Busy:
                throw new ProblemException(ProblemTypes.Busy,
                    "This account has too many signed requests inside their replay window right now (Keystore:Auth:NonceCapacity); retry in a few seconds.");
        }
        return new AuthenticatedCaller(auth, agent);
    }
}
