using System.Globalization;
using System.Text.RegularExpressions;
using Keystore.Tests.Support;

namespace Keystore.Tests.Metrics;

/// <summary>/metrics in the Prometheus text format: request counts by route pattern, sign latency per chain, boot steps.</summary>
[Collection(MetricsCollection.Name)]
public class MetricsEndpointTests
{
    internal static double Sample(string text, string series)
    {
        Match m = Regex.Match(text, "^" + Regex.Escape(series) + @" ([0-9.eE+-]+)$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Requests_sign_latency_and_boot_steps_are_exported_without_accounts_in_labels()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string before = await server.Client.GetStringAsync("/metrics");
        const string signSeries = "keystore_http_requests_total{route=\"/v1/accounts/{account}/sign/{chain}\",method=\"POST\",status=\"200\"}";
        const string badSeries = "keystore_http_requests_total{route=\"/v1/accounts/{account}/sign/{chain}\",method=\"POST\",status=\"401\"}";

        using (HttpResponseMessage ok = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"metrics"}""")))
            Assert.True(ok.IsSuccessStatusCode);
        using (HttpResponseMessage ok = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"metrics 2"}""")))
            Assert.True(ok.IsSuccessStatusCode);
        using (HttpResponseMessage unauthorized = await server.Client.PostAsync("/v1/accounts/alice.near/sign/ethereum", new StringContent("{}")))
            Assert.Equal(401, (int)unauthorized.StatusCode);

        using HttpResponseMessage response = await server.Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        string after = await response.Content.ReadAsStringAsync();

        // Other tests in this process share the registry: compare before and after.
        Assert.Equal(2, Sample(after, signSeries) - Sample(before, signSeries));
        Assert.Equal(1, Sample(after, badSeries) - Sample(before, badSeries));
        Assert.Equal(2, Sample(after, "keystore_sign_duration_seconds_count{chain=\"ethereum\"}") - Sample(before, "keystore_sign_duration_seconds_count{chain=\"ethereum\"}"));
        Assert.Equal(1, Sample(after, "keystore_boot_step_state{step=\"master-secret\",state=\"done\"}"));
        Assert.Equal(0, Sample(after, "keystore_boot_step_state{step=\"master-secret\",state=\"running\"}"));
        Assert.Equal(1, Sample(after, "keystore_ready"));
        foreach (string name in new[] { "keystore_policy_decisions_total", "keystore_near_rpc_duration_seconds", "keystore_near_rpc_failures_total",
                     "keystore_ckd_duration_seconds", "keystore_tcb_status", "keystore_key_cache_entries" })
            Assert.Contains("# TYPE " + name + " ", after, StringComparison.Ordinal);
        Assert.DoesNotContain("alice.near", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NEAR_RPC_failures_are_counted()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            ["Keystore:MasterSecret:Source"] = "ckd",
            ["Keystore:MasterSecret:BackupHex"] = null,
            ["Keystore:Near:RpcUrls:0"] = "http://127.0.0.1:9/",
            ["Keystore:Near:DaoContractId"] = "dao.test.near",
            ["Keystore:Near:RequestTimeout"] = "00:00:01",
        }, waitUntilReady: false);
        string text = "";
        for (int i = 0; i < 100 && Sample(text, "keystore_near_rpc_failures_total{outcome=\"transport_error\"}") == 0; i++)
        {
            await Task.Delay(100);
            text = await server.Client.GetStringAsync("/metrics");
        }
        Assert.True(Sample(text, "keystore_near_rpc_failures_total{outcome=\"transport_error\"}") > 0, text);
        Assert.Equal(0, Sample(text, "keystore_ready"));
    }
}
