using System.Diagnostics;

namespace Keystore.Benchmarks;

/// <summary>
/// Signing throughput alone, then under a flood of unauthenticated address lookups (each a PBKDF2 derivation
/// when served) sent by other clients at the same time: the rate limit on unauthenticated routes is what keeps
/// the second figure close to the first.
/// </summary>
public static class SigningUnderFlood
{
    /// <param name="unlimited">Lift the rate limit on unauthenticated routes, to see what it prevents.</param>
    public static async Task<int> RunAsync(int signers, int flooders, TimeSpan duration, bool unlimited = false)
    {
        await using SignEndpointLoad.Server server = await SignEndpointLoad.Server.StartAsync(unlimited
            ? new Dictionary<string, string?>
            {
                ["Keystore:RateLimit:PermitsPerSecond"] = "1000000",
                ["Keystore:RateLimit:Burst"] = "1000000",
                ["Keystore:RateLimit:MaxConcurrent"] = "100000",
            }
            : null);
        Console.WriteLine(unlimited ? "unauthenticated routes NOT rate-limited" : "unauthenticated routes rate-limited (defaults)");

        var (aloneOk, aloneFailed, aloneSeconds) = await SignEndpointLoad.SignAsync(server, signers, duration, CancellationToken.None);
        double alone = aloneOk / aloneSeconds;
        Console.WriteLine($"signing alone:       {aloneOk} ok, {aloneFailed} failed in {aloneSeconds:F1} s with {signers} clients = {alone:F0} signatures/s");

        using var stop = new CancellationTokenSource();
        long served = 0, limited = 0, other = 0;
        var stopwatch = Stopwatch.StartNew();
        // Separate connections, as a flooding client would have.
        using var floodClient = new HttpClient { BaseAddress = server.Address };
        async Task Flood(int id)
        {
            for (uint i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    using HttpResponseMessage response = await floodClient.GetAsync($"/v1/accounts/flood-{id}.near/keys/ethereum?index={i % 1000}", stop.Token);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref served);
                    else if ((int)response.StatusCode == 429) Interlocked.Increment(ref limited);
                    else Interlocked.Increment(ref other);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        Task[] flood = [.. Enumerable.Range(0, flooders).Select(id => Task.Run(() => Flood(id)))];
        var (underOk, underFailed, underSeconds) = await SignEndpointLoad.SignAsync(server, signers, duration, CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(flood);
        double floodSeconds = stopwatch.Elapsed.TotalSeconds;
        double under = underOk / underSeconds;
        Console.WriteLine($"signing under flood: {underOk} ok, {underFailed} failed in {underSeconds:F1} s with {signers} clients = {under:F0} signatures/s ({under / alone:P0} of alone)");
        Console.WriteLine($"flood ({flooders} clients): {(served + limited + other) / floodSeconds:F0} requests/s, {served / floodSeconds:F0}/s served, {limited / floodSeconds:F0}/s refused with 429, {other} other");
        return aloneFailed == 0 && underFailed == 0 ? 0 : 1;
    }
}
