using Keystore.Boot;
using Keystore.Problems;

namespace Keystore.Api;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/health", () => Results.Json(new HealthResponse("ok"), ApiJsonContext.Default.HealthResponse));

        // 200 only once a master secret is loaded; otherwise 503 with every boot step and its last error.
        app.MapGet("/v1/ready", (KeystoreState state) => state.IsReady
            ? Results.Json(new ReadyResponse(true, state.MasterSecretSource, state.Steps), ApiJsonContext.Default.ReadyResponse)
            : ProblemResults.For(ProblemTypes.NotReady, state.NotReadyReason(),
                new Dictionary<string, object?> { ["ready"] = false, ["steps"] = state.Steps }));
        return app;
    }
}
