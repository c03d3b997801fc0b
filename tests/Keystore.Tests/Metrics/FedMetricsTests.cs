using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Dao;
using Keystore.Tests.Support;
using static Keystore.Tests.Metrics.MetricsEndpointTests;

namespace Keystore.Tests.Metrics;

/// <summary>
/// The metrics fed from elsewhere, each provoked then scraped from <c>/metrics</c>: policy decisions from the signing
/// guard (by decision and rule kind, never a policy's text or asset), the derived-key cache size, and the TCB status
/// the DAO reported for this worker.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class FedMetricsTests
{
    private const string Account = "erin.near";
    private const string Policy = """
        {"kind":"agent","version":1,"rules":[{"id":"payments-to-0xSECRETDESK","chains":["ethereum"],"operations":["transaction"],
         "limits":{"eth:1":{"perTransaction":"200000000000000000","daily":"300000000000000000"}}}]}
        """;

    private static EthereumTransactionRequest Transfer(string wei, int nonce) => new()
    {
        ChainId = "1", Nonce = nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), To = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e",
        Value = wei, Gas = "21000", MaxFeePerGas = "20000000000", MaxPriorityFeePerGas = "1000000000",
    };

    private static string Decisions(string decision, string rule) => $"keystore_policy_decisions_total{{decision=\"{decision}\",rule=\"{rule}\"}}";

    [Fact]
    public async Task Policy_decisions_are_counted_by_decision_and_rule_kind_without_policy_text_in_labels()
    {
        using NearKeyPair owner = NearKeyPair.Generate();
        using NearKeyPair agentKey = NearKeyPair.Generate();
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { [$"Keystore:Owners:{Account}:0"] = owner.PublicKey });
        var client = new KeystoreClient(server.Client, Account, owner);
        var agent = new KeystoreClient(server.Client, Account, agentKey);
        await client.CreateAgentAsync(agentKey.PublicKey, "bot", DateTimeOffset.UtcNow.AddDays(1), JsonNode.Parse(Policy)!);
        string before = await server.Client.GetStringAsync("/metrics");

        await client.SignEthereumMessageAsync("owner");                                    // allow
        // Each transfer also spends its fee, 21,000 gas × 20 gwei = 0.00042 ETH: 0.15042 is allowed, a second one passes the 0.3 day.
        await agent.SignEthereumTransactionAsync(Transfer("150000000000000000", 0));       // allow
        await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.SignEthereumTransactionAsync(Transfer("300000000000000000", 1)));  // deny per-transaction
        await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.SignEthereumTransactionAsync(Transfer("150000000000000000", 1)));  // deny window:eth:1:daily
        await agent.DryRunEthereumTransactionAsync(Transfer("1", 1));                      // dry run, allowed
        await agent.DryRunAsync("ethereum", new JsonObject { ["message"] = "x" });         // dry run, denied by operations
        await client.SetPolicyAsync(frozen: true);
        await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => client.SignEthereumMessageAsync("frozen"));                            // deny account-freeze
        string after = await server.Client.GetStringAsync("/metrics");

        double Delta(string series) => Sample(after, series) - Sample(before, series);
        Assert.Equal(2, Delta(Decisions("allow", "")));
        Assert.Equal(1, Delta(Decisions("deny", "per-transaction")));
        Assert.Equal(1, Delta(Decisions("deny", "window")));
        Assert.Equal(1, Delta(Decisions("deny", "account-freeze")));
        Assert.Equal(1, Delta(Decisions("dry-run", "")));
        Assert.Equal(1, Delta(Decisions("dry-run", "operations")));
        Assert.DoesNotContain("SECRETDESK", after, StringComparison.Ordinal);
        Assert.DoesNotContain("eth:1", after, StringComparison.Ordinal);
        Assert.DoesNotContain(Account, after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("window:eth:1:daily", "window")]
    [InlineData("account:window:erc20:1:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48:weekly", "account:window")]
    [InlineData("account:per-transaction", "account:per-transaction")]
    [InlineData("destinations.deny", "destinations.deny")]
    [InlineData("account-freeze", "account-freeze")]
    [InlineData("a rule some future version names", "other")]
    [InlineData(null, "")]
    public void A_rule_id_becomes_its_bounded_kind(string? ruleId, string label) =>
        Assert.Equal(label, Keystore.Metrics.PolicyDecisionMetrics.RuleKind(ruleId));

    [Fact]
    public async Task The_key_cache_size_is_the_number_of_distinct_keys_derived()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        Assert.Equal(0, Sample(await server.Client.GetStringAsync("/metrics"), "keystore_key_cache_entries"));
        foreach ((string chain, string index) in new[] { ("ethereum", "0"), ("ethereum", "1"), ("solana", "0"), ("ethereum", "0") })
            (await server.Client.GetAsync($"/v1/accounts/{KeystoreServer.Owner}/keys/{chain}?index={index}")).EnsureSuccessStatusCode();
        Assert.Equal(3, Sample(await server.Client.GetStringAsync("/metrics"), "keystore_key_cache_entries"));
    }

    [Fact]
    public async Task The_TCB_status_the_DAO_reports_is_the_one_set_to_1()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string unregistered = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(0, Sample(unregistered, "keystore_tcb_status{status=\"UpToDate\"}"));

        // What RegisterStep and the revocation monitor hand over from the DAO's worker status.
        WorkerContext worker = server.Services.GetRequiredService<WorkerContext>();
        worker.UpdateTcb(new WorkerTcb("UpToDate", [], "accepted", null));
        string upToDate = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(1, Sample(upToDate, "keystore_tcb_status{status=\"UpToDate\"}"));
        Assert.Equal(0, Sample(upToDate, "keystore_tcb_status{status=\"OutOfDate\"}"));

        worker.UpdateTcb(new WorkerTcb("OutOfDate", ["INTEL-SA-00837"], "grace", DateTimeOffset.UtcNow.AddDays(7)));
        string outOfDate = await server.Client.GetStringAsync("/metrics");
        Assert.Equal(0, Sample(outOfDate, "keystore_tcb_status{status=\"UpToDate\"}"));
        Assert.Equal(1, Sample(outOfDate, "keystore_tcb_status{status=\"OutOfDate\"}"));

        worker.UpdateTcb(new WorkerTcb("SomethingIntelAddsLater", [], "refused", null));
        Assert.Equal(1, Sample(await server.Client.GetStringAsync("/metrics"), "keystore_tcb_status{status=\"other\"}"));
    }
}
