using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using Keystore.TestSupport.Node;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Approvals;

/// <summary>
/// Issue 14's m-of-n approvals through real HTTP: an agent's transfer above its rule's threshold waits (202), two of
/// three approvers (NEAR accounts signing with their own full-access keys) approve it by its payload hash, and the
/// keystore re-checks the policy and windows at that moment and signs it once; every step is in the audit log.
/// </summary>
public sealed class ApprovalFlowTests
{
    [Fact]
    public async Task Two_of_three_approvals_sign_a_transfer_above_the_threshold_and_ethers_recovers_the_account_address()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);

        (HttpStatusCode dry, JsonNode? decision) = await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum?dryRun=true", body, Account, h.AgentKey);
        Assert.Equal(HttpStatusCode.OK, dry);
        Assert.Equal("approval-required", decision!["decision"]!.GetValue<string>());

        (HttpStatusCode status, JsonNode? pending) = await h.AgentSignsAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Null(pending!["signedTransaction"]);
        string id = pending["id"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id);
        Assert.Equal(HashOf(body), pending["payloadHash"]!.GetValue<string>());
        Assert.Equal("payments", pending["rule"]!.GetValue<string>());
        Assert.Equal(Approvers, pending["pendingApprovers"]!.AsArray().Select(a => a!.GetValue<string>()));

        // An approver sees the exact body and hashes it themselves.
        (HttpStatusCode seen, JsonNode? view) = await h.GetAsync(id, "bob.near");
        Assert.Equal(HttpStatusCode.OK, seen);
        Assert.Equal(HashOf(view!["request"]!.ToJsonString()), HashOf(body));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), view["request"]));

        (HttpStatusCode first, JsonNode? afterBob) = await h.VoteAsync(id, "bob.near", HashOf(body));
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal("pending", afterBob!["state"]!.GetValue<string>());
        Assert.Equal(["carol.near", "dave.near"], afterBob["pendingApprovers"]!.AsArray().Select(a => a!.GetValue<string>()));

        (HttpStatusCode second, JsonNode? signed) = await h.VoteAsync(id, "carol.near", HashOf(body).ToUpperInvariant());
        Assert.True(second == HttpStatusCode.OK, signed?.ToJsonString());
        Assert.Equal("signed", signed!["state"]!.GetValue<string>());
        string raw = signed["result"]!["signedTransaction"]!.GetValue<string>();

        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = raw });
        string address = JsonNode.Parse(await h.Server.Client.GetStringAsync($"/v1/accounts/{Account}/keys/ethereum"))!["address"]!.GetValue<string>();
        Assert.Equal(address, parsed["from"]!.GetValue<string>());
        Assert.Equal((200 * Milli).ToString(), parsed["value"]!.GetValue<string>());
        Assert.Equal(Recipient, parsed["to"]!.GetValue<string>());
        Assert.Equal(2, parsed["type"]!.GetValue<int>());

        // The agent fetches the result by id; a late approver finds it finished.
        (HttpStatusCode byAgent, JsonNode? result) = await h.GetAsync(id, Account, h.AgentKey);
        Assert.Equal(HttpStatusCode.OK, byAgent);
        Assert.Equal(raw, result!["result"]!["signedTransaction"]!.GetValue<string>());
        (HttpStatusCode late, JsonNode? problem) = await h.VoteAsync(id, "dave.near", HashOf(body));
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.EndsWith(":approval-not-pending", problem!["type"]!.GetValue<string>());

        var audit = await h.AuditAsync();
        var mine = audit.Where(e => e.PayloadHash == HashOf(body)).Select(e => e.Kind).ToList();
        Assert.Equal(["pending", "approved", "approved", "signed"], mine);
        // Every entry of the request, the signature after the last approval included, names it (the webhooks' requestId).
        Assert.All(audit.Where(e => e.PayloadHash == HashOf(body)), e => Assert.Equal(id, Keystore.Audit.ApprovalAuditDetail.RequestId(e.Detail)));
        Assert.DoesNotContain(audit, e => e.Detail?.Contains(Recipient[2..], StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task A_transfer_at_the_threshold_signs_directly()
    {
        await using ApprovalHarness h = await StartAsync();
        // 0.1 ETH with its fee: exactly the 0.1 ETH threshold.
        (HttpStatusCode status, JsonNode? signed) = await h.AgentSignsAsync(Transfer(100 * Milli - Fee, 0));
        Assert.True(status == HttpStatusCode.OK, signed?.ToJsonString());
        Assert.StartsWith("0x02", signed!["signedTransaction"]!.GetValue<string>());
        Assert.DoesNotContain(await h.AuditAsync(), e => e.Kind == "pending");
    }

    [Fact]
    public async Task A_wrong_payload_hash_is_refused_and_counts_no_vote()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        (HttpStatusCode status, JsonNode? problem) = await h.VoteAsync(id, "bob.near", HashOf(Transfer(200 * Milli, 1)));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith(":payload-mismatch", problem!["type"]!.GetValue<string>());
        (_, JsonNode? view) = await h.GetAsync(id, Account);
        Assert.Empty(view!["approvals"]!.AsArray());
        Assert.Equal("pending", view["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Someone_not_named_gets_403_and_the_agent_cannot_approve_its_own_request()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);

        (HttpStatusCode stranger, JsonNode? p1) = await h.VoteAsync(id, "erin.near", HashOf(body));
        Assert.Equal(HttpStatusCode.Forbidden, stranger);
        Assert.EndsWith(":not-an-approver", p1!["type"]!.GetValue<string>());
        (HttpStatusCode peek, JsonNode? p2) = await h.GetAsync(id, "erin.near");
        Assert.Equal(HttpStatusCode.Forbidden, peek);
        Assert.EndsWith(":not-an-approver", p2!["type"]!.GetValue<string>());

        // The owner is not named either, and the agent's key is no full-access key of anyone.
        (HttpStatusCode owner, JsonNode? p3) = await h.VoteAsync(id, Account, HashOf(body));
        Assert.Equal(HttpStatusCode.Forbidden, owner);
        Assert.EndsWith(":not-an-approver", p3!["type"]!.GetValue<string>());
        (HttpStatusCode agent, JsonNode? p4) = await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/approvals/{id}/approve", Vote(HashOf(body)), Account, h.AgentKey);
        Assert.Equal(HttpStatusCode.Forbidden, agent);
        Assert.EndsWith(":owner-only", p4!["type"]!.GetValue<string>());
        // A full-access key of another account does not make one bob.near.
        (HttpStatusCode forged, JsonNode? p5) = await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/approvals/{id}/approve", Vote(HashOf(body)), "bob.near", h.KeyOf("erin.near"));
        Assert.Equal(HttpStatusCode.Forbidden, forged);
        Assert.EndsWith(":not-account-owner", p5!["type"]!.GetValue<string>());

        (_, JsonNode? view) = await h.GetAsync(id, Account);
        Assert.Empty(view!["approvals"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_named_as_approver_through_its_own_NEAR_account_may_approve()
    {
        // The agent's operator holds erin.near; the owner names that account, so the agent's side may vote with erin's full-access key.
        string policy = Policy().Replace("\"required\":2,\"approvers\":[\"bob.near\",\"carol.near\",\"dave.near\"]", "\"required\":1,\"approvers\":[\"erin.near\"]", StringComparison.Ordinal);
        await using ApprovalHarness h = await StartAsync(policy);
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        (HttpStatusCode status, JsonNode? signed) = await h.VoteAsync(id, "erin.near", HashOf(body));
        Assert.True(status == HttpStatusCode.OK, signed?.ToJsonString());
        Assert.Equal("signed", signed!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_agent_of_the_account_cannot_read_a_request_even_when_the_owner_named_the_account_an_approver()
    {
        // The owner names its own account among the approvers (its full-access keys vote). That makes no agent key of the
        // account an approver: a second agent must not read the first one's body or, once signed, its signature.
        string policy = Policy().Replace("\"approvers\":[\"bob.near\",", $"\"approvers\":[\"{Account}\",", StringComparison.Ordinal);
        await using ApprovalHarness h = await StartAsync(policy);
        using var other = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
        string register = new JsonObject
        {
            ["publicKey"] = PublicKeyOf(other),
            ["name"] = "other-bot",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["policy"] = JsonNode.Parse(policy),
        }.ToJsonString();
        Assert.Equal(HttpStatusCode.Created, (await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/agents", register, Account, h.Server.OwnerKey)).Status);
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);

        (HttpStatusCode peek, JsonNode? problem) = await h.GetAsync(id, Account, other);

        Assert.True(peek == HttpStatusCode.Forbidden, problem?.ToJsonString());
        Assert.EndsWith(":not-an-approver", problem!["type"]!.GetValue<string>());
        // The agent that asked and the owner still read it.
        Assert.Equal(HttpStatusCode.OK, (await h.GetAsync(id, Account, h.AgentKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await h.GetAsync(id, Account)).Status);
    }

    [Fact]
    public async Task The_same_approver_approving_twice_counts_once()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        for (int i = 0; i < 2; i++)
        {
            (HttpStatusCode status, JsonNode? view) = await h.VoteAsync(id, "bob.near", HashOf(body));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("pending", view!["state"]!.GetValue<string>());
            Assert.Single(view["approvals"]!.AsArray());
        }
        Assert.Single(await h.AuditAsync(), e => e.Kind == "approved");
        (HttpStatusCode turn, JsonNode? problem) = await h.VoteAsync(id, "bob.near", HashOf(body), approve: false);
        Assert.Equal(HttpStatusCode.Conflict, turn);
        Assert.EndsWith(":already-voted", problem!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejection_ends_the_request_and_nothing_is_signed()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        Assert.Equal(HttpStatusCode.OK, (await h.VoteAsync(id, "bob.near", HashOf(body))).Status);
        (HttpStatusCode status, JsonNode? view) = await h.VoteAsync(id, "carol.near", HashOf(body), approve: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rejected", view!["state"]!.GetValue<string>());
        Assert.Null(view["result"]);
        (HttpStatusCode late, JsonNode? problem) = await h.VoteAsync(id, "dave.near", HashOf(body));
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.EndsWith(":approval-not-pending", problem!["type"]!.GetValue<string>());
        var audit = await h.AuditAsync();
        Assert.Contains(audit, e => e.Kind == "rejected" && e.Detail!.Contains("request ended", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => e.Kind == "signed");
    }

    [Fact]
    public async Task Without_EndOnFirstRejection_a_request_ends_only_once_its_approvals_can_no_longer_be_had()
    {
        await using ApprovalHarness h = await StartAsync(settings: new Dictionary<string, string?> { ["Keystore:Approvals:EndOnFirstRejection"] = "false" });
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        (_, JsonNode? one) = await h.VoteAsync(id, "bob.near", HashOf(body), approve: false);
        Assert.Equal("pending", one!["state"]!.GetValue<string>());
        (_, JsonNode? two) = await h.VoteAsync(id, "carol.near", HashOf(body), approve: false);
        Assert.Equal("rejected", two!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_owner_lists_and_cancels_a_pending_request_which_then_takes_no_approval()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        string other = await h.OpenAsync(Transfer(300 * Milli, 1));

        (HttpStatusCode listed, JsonNode? page) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals?limit=1", null, Account, h.Server.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(id, page!["approvals"]![0]!["id"]!.GetValue<string>());
        Assert.Null(page["approvals"]![0]!["request"]);
        string next = page["next"]!.GetValue<string>();
        (_, JsonNode? page2) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals?limit=1&cursor={Uri.EscapeDataString(next)}", null, Account, h.Server.OwnerKey);
        Assert.Equal(other, page2!["approvals"]![0]!["id"]!.GetValue<string>());
        Assert.Null(page2["next"]);

        (HttpStatusCode agentCancel, JsonNode? refused) = await h.SendAsync(HttpMethod.Delete, $"/v1/accounts/{Account}/approvals/{id}", null, Account, h.AgentKey);
        Assert.Equal(HttpStatusCode.Forbidden, agentCancel);
        Assert.EndsWith(":owner-only", refused!["type"]!.GetValue<string>());
        (HttpStatusCode cancelled, JsonNode? view) = await h.SendAsync(HttpMethod.Delete, $"/v1/accounts/{Account}/approvals/{id}", null, Account, h.Server.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("cancelled", view!["state"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Conflict, (await h.VoteAsync(id, "bob.near", HashOf(body))).Status);
        (_, JsonNode? left) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals", null, Account, h.Server.OwnerKey);
        Assert.Equal([other], left!["approvals"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
        Assert.Contains(await h.AuditAsync(), e => e.Kind == "cancelled" && e.PayloadHash == HashOf(body));
    }

    [Fact]
    public async Task A_request_expires_after_the_configured_time_and_is_audited_once()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using ApprovalHarness h = await StartAsync(settings: new Dictionary<string, string?> { ["Keystore:Approvals:ExpirySeconds"] = "3600" }, clock: clock);
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        Assert.Equal(HttpStatusCode.OK, (await h.VoteAsync(id, "bob.near", HashOf(body))).Status);

        clock.Advance(TimeSpan.FromSeconds(3600));
        (HttpStatusCode status, JsonNode? problem) = await h.VoteAsync(id, "carol.near", HashOf(body));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith(":approval-not-pending", problem!["type"]!.GetValue<string>());
        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (_, JsonNode? view) = await h.GetAsync(id, Account);
        Assert.Equal("expired", view!["state"]!.GetValue<string>());
        Assert.Null(view["result"]);
        var audit = await h.AuditAsync();
        Assert.Single(audit, e => e.Kind == "expired");
        Assert.DoesNotContain(audit, e => e.Kind == "signed");
    }

    [Fact]
    public async Task The_re_check_at_the_last_approval_denies_when_the_window_filled_meanwhile_and_charges_nothing()
    {
        // 0.5 ETH a day: 0.3 waits for approvals; meanwhile three direct transfers of 0.1 with their fees bring the day to 0.3.
        await using ApprovalHarness h = await StartAsync(Policy(daily: "500000000000000000"));
        string body = Transfer(300 * Milli, 0);
        string id = await h.OpenAsync(body);
        for (int i = 1; i <= 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await h.AgentSignsAsync(Transfer(100 * Milli - Fee, i))).Status);

        Assert.Equal(HttpStatusCode.OK, (await h.VoteAsync(id, "bob.near", HashOf(body))).Status);
        (HttpStatusCode status, JsonNode? view) = await h.VoteAsync(id, "dave.near", HashOf(body));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("denied", view!["state"]!.GetValue<string>());
        Assert.Equal("window:eth:1:daily", view["deniedRule"]!.GetValue<string>());
        Assert.Null(view["result"]);

        // Nothing of the 0.3 was kept: 0.2 more still fits the day exactly.
        Assert.Equal(HttpStatusCode.OK, (await h.AgentSignsAsync(Transfer(100 * Milli - Fee, 4))).Status);
        Assert.Equal(HttpStatusCode.OK, (await h.AgentSignsAsync(Transfer(100 * Milli - Fee, 5))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await h.AgentSignsAsync(Transfer(1, 6))).Status);
        Assert.Contains(await h.AuditAsync(), e => e.Kind == "denied" && e.PayloadHash == HashOf(body) && e.Rule == "window:eth:1:daily");
    }

    [Fact]
    public async Task A_request_whose_windows_are_already_full_is_denied_at_once_instead_of_waiting()
    {
        await using ApprovalHarness h = await StartAsync(Policy(daily: "500000000000000000"));
        for (int i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.OK, (await h.AgentSignsAsync(Transfer(100 * Milli - Fee, i))).Status);
        (HttpStatusCode status, JsonNode? problem) = await h.AgentSignsAsync(Transfer(200 * Milli, 4));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("window:eth:1:daily", problem!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_Idempotency_Key_retry_gets_the_same_pending_request()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string path = $"/v1/accounts/{Account}/sign/ethereum";
        var ids = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential("POST", path, System.Text.Encoding.UTF8.GetBytes(body), Account, h.AgentKey));
            request.Headers.Add("Idempotency-Key", "pay-42");
            using HttpResponseMessage response = await h.Server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }
        Assert.Equal(ids[0], ids[1]);
    }
    [Fact]
    public async Task The_pending_body_is_sealed_in_the_database_and_not_written_in_clear()
    {
        string folder = Path.Combine(Path.GetTempPath(), "keystore-approvals-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(folder, "state.db");
        try
        {
            string body = Transfer(200 * Milli, 0).Replace(Recipient, "0x5eA1ed5eA1ed5eA1ed5eA1ed5eA1ed5eA1ed5eA1", StringComparison.Ordinal);
            string id;
            await using (ApprovalHarness h = await StartAsync(settings: new Dictionary<string, string?> { ["Keystore:State:SqlitePath"] = path }))
            {
                (HttpStatusCode status, JsonNode? pending) = await h.AgentSignsAsync(body);
                Assert.Equal(HttpStatusCode.Accepted, status);
                id = pending!["id"]!.GetValue<string>();
                // It is really there: the approver reads it back from the store.
                (_, JsonNode? view) = await h.GetAsync(id, "bob.near");
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), view!["request"]));
            }
            byte[] stored = [.. Directory.GetFiles(folder).SelectMany(File.ReadAllBytes)];
            foreach (string needle in new[] { "5ea1ed5ea1ed5ea1ed", "5eA1ed5eA1ed5eA1ed", "maxPriorityFeePerGas", id, "bob.near", Account })
                Assert.True(stored.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) < 0, $"'{needle}' is in the database in clear");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
