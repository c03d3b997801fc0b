using Keystore.Auth;
using Keystore.Bindings;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Configuration;
using Keystore.Derivation;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

public static class KeyEndpoints
{
    /// <summary>
    /// Addresses are public: anyone may read one, rate-limited, and that reads the binding state without any
    /// chain call. Publishing the binding in chain-keys spends the DAO's gas, so only the account's owner
    /// starts it: a GET carrying a valid owner <c>Authorization</c>, or <c>POST …/publish</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/accounts/{account}/keys/{chain}", async (string account, string chain, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys, BindingRegistrar bindings, NearRequestAuthenticator authenticator) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            uint index = RequestValidation.IndexFromQuery(http.Request.Query["index"]);
            bool byOwner = http.Request.Headers.Authorization.Count > 0;
            if (byOwner)
                await authenticator.AuthenticateAsync(http.Request, account, ReadOnlyMemory<byte>.Empty, http.RequestAborted);
            return Describe(state, keys, signer, bindings, account, index, publish: byOwner);
        }).RequireRateLimiting(UnauthenticatedRateLimit.Policy);

        app.MapPost("/v1/accounts/{account}/keys/{chain}/publish", async (string account, string chain, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys, BindingRegistrar bindings, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            uint index = RequestValidation.IndexFromQuery(http.Request.Query["index"]);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted);
            if (body.Length != 0)
                throw new ProblemException(ProblemTypes.InvalidRequest, "publish takes no body; the key index goes in the query (?index=i).");
            return Describe(state, keys, signer, bindings, account, index, publish: true);
        });
        return app;
    }

    private static IResult Describe(KeystoreState state, DerivedKeyCache keys, IChainSigner signer, BindingRegistrar bindings, string account, uint index, bool publish)
    {
        DerivationPath path = signer.DerivationPath(index);
        using SigningKey key = keys.Get(state.RequireMasterSecret(), account, signer, path);
        ChainAddress address = signer.Describe(key.PublicKey);
        BindingStatus binding = publish
            ? bindings.Request(account, signer.Name, index, address.PublicKey, address.Address)
            : bindings.Status(account, signer.Name, index);
        return Results.Json(
            new KeyResponse(account, signer.Name, index, path.ToString(), address.PublicKey, address.Address, binding),
            ApiJsonContext.Api.KeyResponse);
    }
}
