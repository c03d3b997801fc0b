using Keystore.Boot;
using Keystore.Chains;
using Keystore.Derivation;

namespace Keystore.Api;

public static class KeyEndpoints
{
    /// <summary>Addresses are public: no authentication, but nothing is answered before boot is done.</summary>
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/accounts/{account}/keys/{chain}", (string account, string chain, HttpRequest request,
            KeystoreState state, ChainSignerRegistry chains, Bindings.BindingRegistrar bindings) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            uint index = RequestValidation.IndexFromQuery(request.Query["index"]);
            using SigningKey key = AccountKeyDeriver.Derive(state.RequireMasterSecret(), account, signer, index);
            ChainAddress address = signer.Describe(key.PublicKey);
            return Results.Json(
                new KeyResponse(account, signer.Name, index, signer.DerivationPath(index), address.PublicKey, address.Address,
                    bindings.Request(account, signer.Name, index, address.PublicKey, address.Address)),
                ApiJsonContext.Api.KeyResponse);
        });
        return app;
    }
}
