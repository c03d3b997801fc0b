using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

/// <summary>Unauthenticated routes are limited per client; signing and health are not.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task A_client_over_its_budget_gets_429_with_Retry_After_while_signing_and_health_still_answer()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:RateLimit:PermitsPerSecond"] = "1",
            ["Keystore:RateLimit:Burst"] = "3",
        });
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 10; i++)
        {
            HttpResponseMessage response = await server.Client.GetAsync($"/v1/accounts/alice.near/keys/ethereum?index={i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response; else response.Dispose();
        }
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // The burst of 3, plus one token per second that passed (however slow this machine is).
        int allowed = 3 + (int)Math.Ceiling(elapsed.Elapsed.TotalSeconds);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= allowed, string.Join(",", statuses));
        using (limited)
        {
            Assert.Equal("application/problem+json", limited!.Content.Headers.ContentType?.MediaType);
            JsonNode problem = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
            Assert.Equal("urn:near-tee-keystore:problem:rate-limited", problem["type"]!.GetValue<string>());
            Assert.Equal(429, problem["status"]!.GetValue<int>());
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        using (HttpResponseMessage attestation = await server.Client.GetAsync("/v1/attestation"))
            Assert.Equal(HttpStatusCode.TooManyRequests, attestation.StatusCode);

        using (HttpResponseMessage health = await server.Client.GetAsync("/v1/health"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (HttpResponseMessage signed = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"x"}""")))
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }
}
