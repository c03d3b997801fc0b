using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/health", () => Results.Json(new HealthResponse("ok"), ApiJsonContext.Api.HealthResponse));

        // 200 only once a master secret is loaded and the state store is open; otherwise 503 with every boot step and its last error.
        app.MapGet("/v1/ready", (KeystoreState state, WorkerContext worker, IOptions<KeystoreOptions> options) =>
        {
            var tee = new TeeSummary(options.Value.Tee.Provider, worker.Attestation?.Simulated ?? options.Value.Tee.Provider == Tee.SimulatorTeeBackend.BackendName,
                worker.Identity.NearPublicKeyText, worker.IsRegistered, worker.Tcb);
            return state.IsServing
                ? Results.Json(new ReadyResponse(true, state.MasterSecretSource, tee, state.Steps), ApiJsonContext.Api.ReadyResponse)
                : ProblemResults.For(ProblemTypes.NotReady, state.NotReadyReason(),
                    new Dictionary<string, object?> { ["ready"] = false, ["tee"] = tee, ["steps"] = state.Steps });
        });
        return app;
    }
}
