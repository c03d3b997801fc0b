using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace Keystore.Metrics;

/// <summary>
/// Counts every answer by route pattern (never the raw path: accounts stay out of labels) and times successful sign
/// requests per chain. Runs outermost, so it sees the status the client gets, problem answers included.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next)
{
    public const string SignRoute = "/v1/accounts/{account}/sign/{chain}";
    private static readonly string[] KnownChains = ["ethereum", "bitcoin", "solana"];

    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            int status = context.Response.StatusCode;
            KeystoreMetrics.HttpRequests.WithLabels(route, context.Request.Method, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            if (route == SignRoute && status == StatusCodes.Status200OK
                && context.Request.RouteValues["chain"] is string chain && KnownChains.Contains(chain))
                KeystoreMetrics.SignDuration.WithLabels(chain).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }
}
