using System.Globalization;
using System.Threading.RateLimiting;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Keystore.Api;

/// <summary>
/// Limits the routes anyone may call without signing (<c>Keystore:RateLimit</c>): a token bucket per client
/// IP, and across all clients a cap on how many such requests run at once. An address lookup costs a PBKDF2
/// derivation, so without both an unauthenticated flood, from one client or many, would take the CPU that
/// owners' signing needs. Signed routes are not limited here: a forged signature is refused before any
/// derivation. <c>/v1/health</c> and <c>/v1/ready</c> cost nothing and are exempt, so probes never see 429.
/// </summary>
public static class UnauthenticatedRateLimit
{
    public const string Policy = "unauthenticated";

    public static IServiceCollection AddUnauthenticatedRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<KeystoreOptions>>((o, keystore) =>
        {
            RateLimitOptions limits = keystore.Value.RateLimit;
            int concurrent = limits.MaxConcurrent > 0 ? limits.MaxConcurrent : Math.Max(1, Environment.ProcessorCount / 2);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsLimited(context)
                    ? RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = concurrent,
                        QueueLimit = concurrent * 8,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = (context, _) =>
            {
                int seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ProblemResults.For(ProblemTypes.RateLimited,
                    $"Too many unauthenticated requests from this client; retry after {seconds} s (Keystore:RateLimit).").ExecuteAsync(context.HttpContext));
            };
        });
        return services;
    }

    private static bool IsLimited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy;
}
