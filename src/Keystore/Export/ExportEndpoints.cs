using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api;
using Keystore.Auth;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Json;
using Keystore.MasterSecrets;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Export;

public static class ExportEndpoints
{
    /// <summary>
    /// <c>POST /v1/accounts/{account}/export</c>: the owner's mnemonic and chosen chain keys, encrypted to the age
    /// recipient the owner names, as armored text. Checks run outside-in (account, size, owner signature,
    /// readiness, body, policy, rate limit); keys are derived only after all passed, the plaintext is wiped as
    /// soon as it is encrypted, and only ciphertext and the names of what it holds leave.
    /// </summary>
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{account}/export", async (string account, HttpContext http,
            KeystoreState state, ChainSignerRegistry chains, NearRequestAuthenticator authenticator, IOptions<KeystoreOptions> options,
            IExportPolicy policy, ExportBudget budget, ExportAuditTrail audit, TimeProvider time) =>
        {
            RequestValidation.Account(account);
            byte[] body = await RequestBodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            NearAuthorization caller = await authenticator.AuthenticateAsync(http.Request, account, body, http.RequestAborted);
            MasterSecret master = state.RequireMasterSecret();

            ExportRequest request;
            using (JsonDocument document = StrictJson.Parse(body))
                request = ExportRequest.Parse(document.RootElement, chains);
            var export = new ExportContext(account, caller.PublicKeyText, request.Recipient.ToString(), request.Contents);

            ExportVerdict verdict = await policy.EvaluateAsync(export, http.RequestAborted);
            if (!verdict.Allowed)
            {
                string reason = verdict.Reason ?? "The account's policy does not allow exports.";
                await audit.RefusedAsync(export, ExportAuditTrail.PolicyRule, reason, CancellationToken.None);
                throw new ProblemException(ExportProblemTypes.ExportNotAllowed, reason);
            }
            if (budget.TryTake(account) is { } reopens)
            {
                await audit.RefusedAsync(export, ExportAuditTrail.RateLimitRule, "rate limit", CancellationToken.None);
                int seconds = (int)Math.Ceiling(Math.Max(1, (reopens - time.GetUtcNow()).TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ProblemResults.For(ExportProblemTypes.ExportRateLimited, string.Create(CultureInfo.InvariantCulture,
                    $"{account} may export {options.Value.Export.PerAccountPerHour} times an hour; the next export opens at {reopens:O}."));
            }

            string armored;
            using (SecretText plaintext = AccountExportWriter.Write(master, account, request, options.Value.Bitcoin.ParsedNetwork))
                armored = AgeEncryptor.EncryptArmored(request.Recipient, plaintext.Bytes);
            await audit.ExportedAsync(export, CancellationToken.None);

            var answer = new JsonObject
            {
                ["account"] = account,
                ["recipient"] = export.Recipient,
                ["contents"] = new JsonArray(export.Contents.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["format"] = AccountExportWriter.Format,
                ["armored"] = armored,
            };
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        return app;
    }
}
