using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Export.Support;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Clients;

/// <summary>
/// The C# client's owner and agent routes against the real keystore: agent keys and the account policy, dry runs,
/// sign batches, the Idempotency-Key header, exports (decrypted with the age binary) and the audit log (its hashes
/// and signatures checked here with .NET's SHA-256 and NSec).
/// </summary>
public sealed class DotnetClientOwnerRoutesTests : IAsyncLifetime
{
    private const string Account = "carol.near";
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    private const string DailyHalfEth = """
        {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
         "limits":{"eth:1":{"perTransaction":"200000000000000000","daily":"500000000000000000"}}}]}
        """;

    private readonly NearKeyPair _owner = NearKeyPair.Generate();
    private KeystoreServer _server = null!;

    public async Task InitializeAsync() => _server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
    {
        [$"Keystore:Owners:{Account}:0"] = _owner.PublicKey,
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _owner.Dispose();
    }

    private KeystoreClient Client(NearKeyPair? key = null) => new(_server.Client, Account, key ?? _owner);

    private static EthereumTransactionRequest Transfer(string wei, int nonce) => new()
    {
        ChainId = "1", Nonce = nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), To = Recipient, Value = wei,
        Gas = "21000", MaxFeePerGas = "20000000000", MaxPriorityFeePerGas = "1000000000",
    };

    [Fact]
    public async Task Agents_and_the_account_policy_are_managed_through_the_client_and_bind_the_agents_signatures()
    {
        KeystoreClient owner = Client();
        using NearKeyPair agentKey = NearKeyPair.Generate();
        DateTimeOffset expires = DateTimeOffset.UtcNow.AddDays(30);
        AgentInfo created = await owner.CreateAgentAsync(agentKey.PublicKey, "payments-bot", expires, JsonNode.Parse(DailyHalfEth)!);
        Assert.Equal(agentKey.PublicKey, created.PublicKey);
        Assert.True(created.Active);
        Assert.Equal("payments", created.Policy["rules"]![0]!["id"]!.GetValue<string>());
        Assert.True(Math.Abs((created.ExpiresAt - expires).TotalSeconds) < 1);

        Assert.Equal(agentKey.PublicKey, Assert.Single(await owner.ListAgentsAsync()).PublicKey);
        AgentInfo renamed = await owner.UpdateAgentAsync(agentKey.PublicKey, new AgentUpdate { Name = "renamed" });
        Assert.Equal("renamed", renamed.Name);
        Assert.True(renamed.Version > created.Version);
        Assert.Equal("renamed", (await owner.GetAgentAsync(agentKey.PublicKey)).Name);

        // The agent signs under its policy; the dry run shows the window without spending it. 0.19958 ETH and its fee,
        // 21,000 gas × 20 gwei = 0.00042 ETH, are the 0.2 ETH a transaction may spend.
        KeystoreClient agent = Client(agentKey);
        SignDecision allowed = await agent.DryRunEthereumTransactionAsync(Transfer("199580000000000000", 0));
        Assert.True(allowed.DryRun);
        Assert.True(allowed.Allowed);
        Assert.Equal("agent", allowed.Caller);
        SpendingWindow daily = Assert.Single(allowed.Windows, w => w.Rule == "window:eth:1:daily");
        Assert.Equal("0", daily.Current);
        Assert.Equal("200000000000000000", daily.After);
        KeyInfo eth = await owner.GetKeyAsync("ethereum");
        SignedEthereumTransaction signed = await agent.SignEthereumTransactionAsync(Transfer("199580000000000000", 0));
        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = signed.SignedTransaction });
        Assert.Equal(eth.Address, parsed["from"]!.GetValue<string>());

        SignDecision tooMuch = await agent.DryRunEthereumTransactionAsync(Transfer("300000000000000000", 1));
        Assert.False(tooMuch.Allowed);
        Assert.Equal("per-transaction", tooMuch.Rule);
        var denied = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.SignEthereumTransactionAsync(Transfer("300000000000000000", 1)));
        Assert.Equal("policy-denied", denied.Slug);
        Assert.Equal("per-transaction", denied.Rule);
        var ownerOnly = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.ListAgentsAsync());
        Assert.Equal("owner-only", ownerOnly.Slug);

        // The freeze stops everyone, the owner included, until it is lifted.
        AccountPolicyInfo frozen = await owner.SetPolicyAsync(frozen: true);
        Assert.True(frozen.Frozen);
        Assert.True((await owner.GetPolicyAsync()).Frozen);
        SignDecision ownerWhileFrozen = await owner.DryRunAsync("ethereum", new JsonObject { ["message"] = "x" });
        Assert.Equal(("deny", "account-freeze", "owner"), (ownerWhileFrozen.Decision, ownerWhileFrozen.Rule, ownerWhileFrozen.Caller));
        var freeze = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => owner.SignEthereumMessageAsync("x"));
        Assert.Equal("account-freeze", freeze.Rule);
        Assert.False((await owner.SetPolicyAsync(frozen: false)).Frozen);
        await owner.SignEthereumMessageAsync("x");

        AgentRevocation revoked = await owner.RevokeAgentAsync(agentKey.PublicKey);
        Assert.True(revoked.Revoked);
        Assert.Equal(agentKey.PublicKey, revoked.PublicKey);
        await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.SignEthereumTransactionAsync(Transfer("1", 2)));
        var gone = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.GetAgentAsync(agentKey.PublicKey));
        Assert.Equal((404, "agent-not-found"), (gone.Status, gone.Slug));
    }

    [Fact]
    public async Task A_sign_batch_answers_each_item_in_order_with_its_signature_or_its_problem()
    {
        KeystoreClient owner = Client();
        KeyInfo eth = await owner.GetKeyAsync("ethereum", index: 3);
        IReadOnlyList<SignBatchItem> items = await owner.SignBatchAsync("ethereum",
        [
            new JsonObject { ["index"] = 3, ["message"] = "first", ["encoding"] = "utf8" },
            new JsonObject { ["transaction"] = new JsonObject { ["chainId"] = "1" } },
            new JsonObject { ["index"] = 3, ["message"] = "third", ["encoding"] = "utf8" },
        ]);
        Assert.Equal(3, items.Count);
        Assert.False(items[1].Signed);
        Assert.Equal((400, "invalid-transaction"), (items[1].Problem!.Status, items[1].Problem!.Slug));
        foreach ((SignBatchItem item, string message) in new[] { (items[0], "first"), (items[2], "third") })
        {
            Assert.True(item.Signed);
            JsonNode recovered = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
            {
                ["op"] = "eth-message", ["message"] = message, ["signature"] = item.Result!["signature"]!.GetValue<string>(),
            });
            Assert.Equal(eth.Address, recovered["address"]!.GetValue<string>());
        }
        var empty = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.SignBatchAsync("ethereum", []));
        Assert.Equal("invalid-request", empty.Slug);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_gives_the_same_answer_once_signed_and_refuses_another_request()
    {
        KeystoreClient owner = Client();
        string key = "payout-" + Guid.NewGuid().ToString("N");
        long before = (await owner.GetAuditHeadAsync()).Sequence;
        SignedEthereumTransaction first = await owner.SignEthereumTransactionAsync(Transfer("1000", 7), idempotencyKey: key);
        SignedEthereumTransaction again = await owner.SignEthereumTransactionAsync(Transfer("1000", 7), idempotencyKey: key);
        Assert.Equal(first, again);
        // One signature in the audit log for the two calls: the retry was answered from the first.
        AuditPage page = await owner.GetAuditAsync(new AuditQuery { After = before });
        Assert.Single(page.Entries, e => e.Entry["kind"]!.GetValue<string>() == "signed");

        var conflict = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.SignEthereumTransactionAsync(Transfer("2000", 7), idempotencyKey: key));
        Assert.Equal((409, "idempotency-conflict"), (conflict.Status, conflict.Slug));
        var malformed = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.SignEthereumMessageAsync("x", idempotencyKey: "has space"));
        Assert.Equal("invalid-idempotency-key", malformed.Slug);
    }

    [Fact]
    public async Task An_export_through_the_client_decrypts_with_age_to_the_accounts_mnemonic_and_keys()
    {
        KeystoreClient owner = Client();
        using AgeCli age = await AgeCli.KeygenAsync();
        AccountExport export = await owner.ExportAsync(age.Recipient, [ExportItem.Mnemonic, ExportItem.Key("ethereum", 2), ExportItem.BitcoinAccountKey()]);
        Assert.Equal(age.Recipient, export.Recipient);
        Assert.Equal(["mnemonic", "ethereum/2"], export.Contents.Take(2));
        Assert.Equal(3, export.Contents.Count);
        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", export.Armored, StringComparison.Ordinal);

        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(export.Armored));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        JsonNode plain = JsonNode.Parse(decrypted.StdOut)!;
        Assert.Equal(Account, plain["account"]!.GetValue<string>());
        Assert.Equal(24, plain["mnemonic"]!.GetValue<string>().Split(' ').Length);
        JsonNode ethKey = plain["keys"]!.AsArray().Single(k => k!["chain"]!.GetValue<string>() == "ethereum")!;
        Assert.Equal((await owner.GetKeyAsync("ethereum", index: 2)).Address, ethKey["address"]!.GetValue<string>());

        var bad = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.ExportAsync("age1notarecipient", [ExportItem.Mnemonic]));
        Assert.Equal("invalid-recipient", bad.Slug);
    }

    [Fact]
    public async Task The_audit_log_read_through_the_client_has_content_hashes_and_signatures_that_verify()
    {
        KeystoreClient owner = Client();
        await owner.SignEthereumMessageAsync("audited one");
        await owner.SignEthereumMessageAsync("audited two");
        AuditHeadInfo head = await owner.GetAuditHeadAsync();
        AuditPage first = await owner.GetAuditAsync(new AuditQuery { Limit = 1 });
        Assert.Single(first.Entries);
        Assert.NotNull(first.Next);
        AuditPage rest = await owner.GetAuditAsync(new AuditQuery { After = first.Next, From = DateTimeOffset.UtcNow.AddHours(-1) });
        AccountAuditEntry[] entries = [.. first.Entries, .. rest.Entries];
        Assert.Equal(2, entries.Count(e => e.Entry["kind"]!.GetValue<string>() == "signed"));
        Assert.True(entries[^1].Seq <= head.Sequence);

        var auditKey = PublicKey.Import(SignatureAlgorithm.Ed25519,
            Keystore.Near.Keys.Ed25519PublicKey.Parse(head.AuditPublicKey).Bytes.ToArray(), KeyBlobFormat.RawPublicKey);
        foreach (AccountAuditEntry entry in entries)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.Content))), entry.ContentHash);
            Assert.True(SignatureAlgorithm.Ed25519.Verify(auditKey, Convert.FromHexString(entry.Hash), Convert.FromHexString(entry.Signature)));
            Assert.Equal(Account, entry.Entry["account"]!.GetValue<string>());
        }
        var bad = await Assert.ThrowsAsync<KeystoreRequestException>(() => owner.GetAuditAsync(new AuditQuery { Limit = 5000 }));
        Assert.Equal("invalid-request", bad.Slug);
    }

    [Fact]
    public async Task A_202_pending_answer_is_an_ApprovalPendingException_not_a_parse_error()
    {
        // The keystore's 202: the approval request it opened (src/Keystore/Approvals/ApprovalView).
        const string pending = """
            {"id":"Q2hhbmdlIG1lIHBsZWFzZQ","account":"carol.near","agent":"ed25519:6E8s","chain":"ethereum","state":"pending","payloadHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
             "rule":"approval","required":2,"approvers":["bob.near","dave.near"],"approvals":[],"rejections":[],"pendingApprovers":["bob.near","dave.near"],
             "createdAt":"2026-12-02T10:00:00.0000000+00:00","expiresAt":"2026-12-03T10:00:00.0000000+00:00","finishedAt":null}
            """;
        using var http = new HttpClient(new AnsweringHandler(HttpStatusCode.Accepted, pending)) { BaseAddress = new Uri("http://keystore.invalid/") };
        var client = new KeystoreClient(http, Account, _owner);
        var e = await Assert.ThrowsAsync<ApprovalPendingException>(() => client.SignEthereumTransactionAsync(Transfer("1", 0)));
        Assert.Equal("Q2hhbmdlIG1lIHBsZWFzZQ", e.RequestId);
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", e.PayloadHash);
        Assert.Equal(["bob.near", "dave.near"], e.Request.PendingApprovers);
        Assert.Equal("approval", e.Request.Rule);
        // Any other 2xx body is still the answer, and an empty 202 is not mistaken for one.
        using var empty = new HttpClient(new AnsweringHandler(HttpStatusCode.Accepted, "")) { BaseAddress = new Uri("http://keystore.invalid/") };
        await Assert.ThrowsAsync<KeystoreProblemException>(() => new KeystoreClient(empty, Account, _owner).SignEthereumMessageAsync("x"));
    }

    /// <summary>Answers every request as a keystore would with this status and body, after checking it carries the NEAR credential.</summary>
    private sealed class AnsweringHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("NEAR", request.Headers.Authorization?.Scheme);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
