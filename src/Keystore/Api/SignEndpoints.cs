using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Configuration;
using Keystore.Derivation;
using Keystore.Json;
using Keystore.MasterSecrets;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

public static class SignEndpoints
{
    /// <summary>
    /// Validation runs outside-in (route, size, authentication, readiness, JSON, chain fields) and
    /// the key is derived only after all of it passed; any failure leaves nothing signed.
    /// </summary>
    public static IEndpointRouteBuilder MapSignEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{account}/sign/{chain}", async (string account, string chain, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys, NearRequestAuthenticator authenticator,
            IOptions<KeystoreOptions> options, ILoggerFactory loggers) =>
        {
            RequestValidation.Account(account);
            IChainSigner signer = chains.Get(chain);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            NearAuthorization caller = await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted);
            MasterSecret master = state.RequireMasterSecret();

            using JsonDocument document = StrictJson.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ProblemException(ProblemTypes.InvalidRequest, "The body must be a JSON object.");
            uint index = RequestValidation.IndexFromBody(document.RootElement);

            JsonObject result;
            using (SigningKey key = keys.Get(master, account, signer, index))
            {
                try
                {
                    result = signer.Sign(key, document.RootElement);
                }
                catch (ChainRequestException ex)
                {
                    throw new ProblemException(ProblemTypes.FromChain(ex.Problem), ex.Message);
                }
            }
            loggers.CreateLogger("Keystore.Sign").LogInformation(
                "Signed for {Account} on {Chain} index {Index} (key {PublicKey}).", account, signer.Name, index, caller.PublicKeyText);
            return Results.Text(result.ToJsonString(), "application/json");
        });
        return app;
    }
}
