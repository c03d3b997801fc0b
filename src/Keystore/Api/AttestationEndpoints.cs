using System.Text.Json;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

public static class AttestationEndpoints
{
    /// <summary>Public evidence: anyone may verify what this instance runs. Nothing here is secret.</summary>
    public static IEndpointRouteBuilder MapAttestationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/attestation", (WorkerContext worker, IOptions<KeystoreOptions> options, Audit.AuditKey auditKey) =>
        {
            WorkerAttestation a = Require(worker, options.Value);
            return Results.Json(new AttestationResponse(
                worker.Identity.NearPublicKeyText,
                Convert.ToHexStringLower(a.Quote),
                JsonDocument.Parse(a.EventLogJson).RootElement.Clone(),
                ParseOrNull(a.TcbInfoJson),
                Convert.ToHexStringLower(a.Rtmr3),
                a.Simulated,
                a.Provider,
                worker.IsRegistered,
                options.Value.Near.DaoContractId,
                JsonDocument.Parse(a.Collateral.ToJson()).RootElement.Clone(),
                auditKey.PublicKeyText), ApiJsonContext.Api.AttestationResponse);
        }).RequireRateLimiting(UnauthenticatedRateLimit.Policy);

        // Exactly the arguments of tee-dao.register_worker_key, for an operator's NEAR CLI (file-args).
        app.MapGet("/v1/attestation/registration", (WorkerContext worker, IOptions<KeystoreOptions> options) =>
        {
            WorkerAttestation a = Require(worker, options.Value);
            string json = TeeDaoClient.RegistrationArgs(worker.Identity.PublicKey, a.Quote, a.Collateral, a.EventLogJson, a.AppCompose).ToJsonString();
            return Results.Text(json, "application/json");
        }).RequireRateLimiting(UnauthenticatedRateLimit.Policy);
        return app;
    }

    private static WorkerAttestation Require(WorkerContext worker, KeystoreOptions options) =>
        worker.Attestation ?? throw new ProblemException(ProblemTypes.NotAttested,
            options.Tee.Provider == Tee.TeeBackendRegistration.None
                ? "Attestation is off (Keystore:Tee:Provider is 'none')."
                : "The attest boot step has not completed; see /v1/ready.");

    private static JsonElement? ParseOrNull(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, ApiJsonContext.Api.String);
        }
    }
}
