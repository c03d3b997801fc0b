using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api;
using Keystore.Api.ChainRequests;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Derivation;
using Keystore.Json;
using Keystore.MasterSecrets;
using Keystore.Problems;

namespace Keystore.Approvals;

/// <summary>Signs a stored request body as <c>POST …/sign/{chain}</c> would have: its <c>index</c> picks the key, the chain's signer signs it.</summary>
public sealed class ApprovedRequestSigner(KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys)
{
    public JsonObject Sign(string account, string chain, byte[] body)
    {
        MasterSecret master = state.RequireMasterSecret();
        IChainSigner signer = chains.Get(chain);
        using JsonDocument document = StrictJson.Parse(body);
        JsonElement root = document.RootElement;
        uint index = RequestValidation.IndexFromBody(root);
        using SigningKey key = keys.Get(master, account, signer, index);
        try
        {
            return chains.Handler(signer).Sign(key, root);
        }
        catch (ChainRequestException ex)
        {
            throw ChainProblems.ToProblem(ex);
        }
    }
}
