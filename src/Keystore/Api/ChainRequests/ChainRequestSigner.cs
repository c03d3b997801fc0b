using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Derivation;
using Keystore.MasterSecrets;

namespace Keystore.Api.ChainRequests;

/// <summary>
/// The one signing step of every path that signs a chain request (<c>POST …/sign/{chain}</c>, each item of
/// <c>…/sign-batch/{chain}</c>, a request finished at its m-th approval): the key the body's index names is derived (or
/// taken from the cache), the chain's handler signs the body with it, the key is wiped, and the signature is logged
/// (who, which chain and index; never the body). What must pass before it (authentication, the freeze, an agent's policy
/// and windows) is the caller's; a bad body throws <see cref="ChainRequestException"/> before anything is signed.
/// </summary>
public sealed class ChainRequestSigner(KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys, ILogger<ChainRequestSigner> logger)
{
    /// <summary>
    /// The key index a sign body names (<c>index</c>, default 0), or 400. Callers read it before anything is reserved,
    /// so a bad index is refused first.
    /// </summary>
    public static uint Index(JsonElement body) => RequestValidation.IndexFromBody(body);

    /// <param name="signedBy">The key that asked (owner or agent), for the log.</param>
    public JsonObject Sign(string account, IChainSigner signer, uint index, JsonElement body, string signedBy)
    {
        ArgumentNullException.ThrowIfNull(signer);
        MasterSecret master = state.RequireMasterSecret();
        JsonObject result;
        using (SigningKey key = keys.Get(master, account, signer, index))
            result = chains.Handler(signer).Sign(key, body);
        // Checked first: a batch signs up to 100 items a request, and a disabled level should not box and pack each one's arguments.
        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("Signed for {Account} on {Chain} index {Index} (key {PublicKey}).", account, signer.Name, index, signedBy);
        return result;
    }
}
