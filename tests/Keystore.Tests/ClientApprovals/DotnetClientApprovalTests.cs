using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using static Keystore.Tests.ClientApprovals.ClientApprovalNetwork;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// The C# client's approval methods against the real keystore, driven only through clients: the agent's own, the owner's,
/// and each approver's (a client made with the approver's NEAR account and key, acting on the owner's account's requests).
/// Signed results are checked with ethers.
/// </summary>
public sealed class DotnetClientApprovalTests : IAsyncLifetime
{
    private const string AboveThreshold = "200000000000000000";
    private ClientApprovalNetwork _network = null!;

    public async Task InitializeAsync() => _network = await StartAsync();

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task Two_of_three_approvers_approve_through_their_clients_and_the_agent_fetches_a_transaction_ethers_recovers()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => agent.SignEthereumTransactionAsync(Transfer(AboveThreshold, 0)));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", pending.RequestId);
        Assert.Equal(ApprovalRequestStates.Pending, pending.Request.State);
        Assert.Equal((2, "payments", agentKey.PublicKey), (pending.Request.Required, pending.Request.Rule, pending.Request.Agent));
        Assert.Equal(Approvers, pending.Request.PendingApprovers);
        Assert.Null(pending.Request.Result);

        // Each approver reads the request of the owner's account as itself and sees the exact body it approves.
        KeystoreClient bob = _network.As("bob.near"), carol = _network.As("carol.near");
        ApprovalRequest seen = await bob.GetApprovalAsync(pending.RequestId, Owner);
        Assert.Equal(Owner, seen.Account);
        Assert.Equal(AboveThreshold, seen.Request!["transaction"]!["value"]!.GetValue<string>());
        Assert.Equal(Recipient, seen.Request["transaction"]!["to"]!.GetValue<string>());
        Assert.Equal(pending.PayloadHash, KeystoreClient.PayloadHashOf(seen));
        Assert.True(seen.BodyMatchesPayloadHash());

        ApprovalRequest afterBob = await bob.ApproveAsync(Owner, pending.RequestId, seen.PayloadHash);
        Assert.Equal(ApprovalRequestStates.Pending, afterBob.State);
        Assert.Equal("bob.near", Assert.Single(afterBob.Approvals).Account);
        Assert.Equal(["carol.near", "dave.near"], afterBob.PendingApprovers);
        // Still open: waiting a moment gives up with a TimeoutException, not a result.
        await Assert.ThrowsAsync<TimeoutException>(() => agent.WaitForApprovalResultAsync(pending.RequestId, pollInterval: TimeSpan.FromMilliseconds(50), timeout: TimeSpan.FromMilliseconds(300)));

        ApprovalRequest signed = await carol.ApproveAsync(Owner, pending.RequestId, seen.PayloadHash);
        Assert.Equal(ApprovalRequestStates.Signed, signed.State);
        Assert.False(signed.IsOpen);
        Assert.NotNull(signed.FinishedAt);

        // The agent fetches the result by id through its client; ethers recovers the account's address from it.
        JsonObject result = await agent.WaitForApprovalResultAsync(pending.RequestId, pollInterval: TimeSpan.FromMilliseconds(50), timeout: TimeSpan.FromSeconds(30));
        SignedEthereumTransaction tx = (await agent.GetApprovalAsync(pending.RequestId)).ResultAs<SignedEthereumTransaction>()!;
        Assert.Equal(result["signedTransaction"]!.GetValue<string>(), tx.SignedTransaction);
        string address = (await agent.GetKeyAsync("ethereum")).Address;
        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = tx.SignedTransaction });
        Assert.Equal(address, parsed["from"]!.GetValue<string>());
        Assert.Equal((AboveThreshold, Recipient, "1"), (parsed["value"]!.GetValue<string>(), parsed["to"]!.GetValue<string>(), parsed["chainId"]!.GetValue<string>()));
        Assert.Equal(tx.Hash, parsed["hash"]!.GetValue<string>());

        // A late approver finds it finished; the owner's audit log shows the flow.
        var late = await Assert.ThrowsAsync<KeystoreRequestException>(() => _network.As("dave.near").ApproveAsync(Owner, pending.RequestId, seen.PayloadHash));
        Assert.Equal((409, "approval-not-pending"), (late.Status, late.Slug));
        AuditPage audit = await _network.As(Owner).GetAuditAsync(new AuditQuery { Agent = agentKey.PublicKey });
        Assert.Equal(["agent-added", "pending", "approved", "approved", "signed"], audit.Entries.Select(e => e.Entry["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_approvers_client_hashes_the_exact_body_of_a_hand_written_request_to_its_payload_hash_and_its_vote_counts()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        // The agent's own bytes, as another client (or a person) would write them: spaced, on several lines, plain UTF-8.
        string path = $"/v1/accounts/{Owner}/sign/ethereum";
        byte[] sent = Encoding.UTF8.GetBytes($$"""
            {
              "transaction" : { "chainId": "1", "nonce": "30", "to": "{{Recipient}}", "value": "{{AboveThreshold}}",
                                "gas": "21000", "maxFeePerGas": "20000000000", "maxPriorityFeePerGas": "1000000000" },
              "memo":   "Paiement à Zoë <fournisseur> & fils — 東京"
            }
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(sent) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + NearCredential.Create("POST", path, sent, Owner, agentKey));
        using HttpResponseMessage held = await _network.Server.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, held.StatusCode);
        string id = JsonNode.Parse(await held.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        KeystoreClient bob = _network.As("bob.near"), carol = _network.As("carol.near");
        ApprovalRequest seen = await bob.GetApprovalAsync(id, Owner);
        Assert.Equal(sent, seen.ExactBody());
        Assert.True(seen.BodyMatchesPayloadHash());
        Assert.Equal(seen.PayloadHash, KeystoreClient.PayloadHashOf(seen));
        Assert.Equal("Paiement à Zoë <fournisseur> & fils — 東京", seen.Request!["memo"]!.GetValue<string>());

        // The parsed request serialized again is not what the agent sent: voting with its hash is refused and counts nothing.
        string reserialized = KeystoreClient.PayloadHashOf(Encoding.UTF8.GetBytes(seen.Request.ToJsonString()));
        Assert.NotEqual(seen.PayloadHash, reserialized);
        var mismatch = await Assert.ThrowsAsync<KeystoreRequestException>(() => bob.ApproveAsync(Owner, id, reserialized));
        Assert.Equal((409, "payload-mismatch"), (mismatch.Status, mismatch.Slug));

        ApprovalRequest afterBob = await bob.ApproveAsync(Owner, id, KeystoreClient.PayloadHashOf(seen));
        Assert.Equal("bob.near", Assert.Single(afterBob.Approvals).Account);
        Assert.Null(afterBob.Body);
        ApprovalRequest signed = await carol.ApproveAsync(Owner, id, KeystoreClient.PayloadHashOf(await carol.GetApprovalAsync(id, Owner)));
        Assert.Equal(ApprovalRequestStates.Signed, signed.State);
    }

    [Fact]
    public async Task A_rejection_through_an_approvers_client_ends_the_request_and_waiting_for_it_throws_ApprovalEndedException()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => agent.SignEthereumTransactionAsync(Transfer(AboveThreshold, 1)));
        KeystoreClient dave = _network.As("dave.near");
        ApprovalRequest rejected = await dave.RejectAsync(Owner, pending.RequestId, pending.PayloadHash);
        Assert.Equal(ApprovalRequestStates.Rejected, rejected.State);
        Assert.Equal("dave.near", Assert.Single(rejected.Rejections).Account);

        var ended = await Assert.ThrowsAsync<ApprovalEndedException>(() => agent.WaitForApprovalResultAsync(pending.RequestId, timeout: TimeSpan.FromSeconds(30)));
        Assert.Equal(ApprovalRequestStates.Rejected, ended.State);
        Assert.Null(ended.Request.Result);
        var closed = await Assert.ThrowsAsync<KeystoreRequestException>(() => _network.As("bob.near").ApproveAsync(Owner, pending.RequestId, pending.PayloadHash));
        Assert.Equal("approval-not-pending", closed.Slug);
        AuditPage audit = await _network.As(Owner).GetAuditAsync(new AuditQuery { Agent = agentKey.PublicKey });
        Assert.DoesNotContain(audit.Entries, e => e.Entry["kind"]!.GetValue<string>() == "signed");
    }

    [Fact]
    public async Task The_owner_lists_its_open_requests_page_by_page_and_cancels_one_which_then_takes_no_vote()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var ids = new List<string>();
        for (int nonce = 10; nonce < 13; nonce++)
            ids.Add((await Assert.ThrowsAsync<ApprovalPendingException>(() => agent.SignEthereumTransactionAsync(Transfer(AboveThreshold, nonce)))).RequestId);

        KeystoreClient owner = _network.As(Owner);
        var listed = new List<ApprovalRequest>();
        string? cursor = null;
        int pages = 0;
        do
        {
            ApprovalPage page = await owner.ListApprovalsAsync(limit: 1, cursor: cursor);
            Assert.Equal(Owner, page.Account);
            Assert.True(page.Approvals.Count <= 1);
            listed.AddRange(page.Approvals);
            cursor = page.Next;
        }
        while (cursor is not null && ++pages < 100);
        Assert.Equal(ids, listed.Where(a => a.Agent == agentKey.PublicKey).Select(a => a.Id));
        // A list shows no body; a single read does.
        Assert.All(listed, a => Assert.Null(a.Request));

        ApprovalRequest cancelled = await owner.CancelApprovalAsync(ids[1]);
        Assert.Equal(ApprovalRequestStates.Cancelled, cancelled.State);
        Assert.DoesNotContain(ids[1], (await owner.ListApprovalsAsync(limit: 100)).Approvals.Select(a => a.Id));
        var refused = await Assert.ThrowsAsync<KeystoreRequestException>(() => _network.As("bob.near").ApproveAsync(Owner, ids[1], cancelled.PayloadHash));
        Assert.Equal((409, "approval-not-pending"), (refused.Status, refused.Slug));
        var ended = await Assert.ThrowsAsync<ApprovalEndedException>(() => agent.WaitForApprovalResultAsync(ids[1]));
        Assert.Equal(ApprovalRequestStates.Cancelled, ended.State);

        // Cancelling is the owner's: the agent and an approver get 403.
        var byAgent = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.CancelApprovalAsync(ids[0]));
        Assert.Equal((403, "owner-only"), (byAgent.Status, byAgent.Slug));
        // An approver's client cancels on its own account only, where the request is not.
        var byApprover = await Assert.ThrowsAsync<KeystoreRequestException>(() => _network.As("bob.near").CancelApprovalAsync(ids[0]));
        Assert.Equal((404, "approval-not-found"), (byApprover.Status, byApprover.Slug));
        Assert.Equal(ApprovalRequestStates.Pending, (await owner.GetApprovalAsync(ids[0])).State);
        foreach (string id in new[] { ids[0], ids[2] }) await owner.CancelApprovalAsync(id);
    }

    [Fact]
    public async Task Wrong_hashes_strangers_agents_unknown_ids_and_double_votes_come_back_as_typed_problems()
    {
        (KeystoreClient agent, NearKeyPair agentKey) = await _network.NewAgentAsync();
        using NearKeyPair disposeAgentKey = agentKey;
        var pending = await Assert.ThrowsAsync<ApprovalPendingException>(() => agent.SignEthereumTransactionAsync(Transfer(AboveThreshold, 20)));
        KeystoreClient bob = _network.As("bob.near");

        string otherBody = KeystoreClient.PayloadHashOf("{\"transaction\":{}}"u8);
        var mismatch = await Assert.ThrowsAsync<KeystoreRequestException>(() => bob.ApproveAsync(Owner, pending.RequestId, otherBody));
        Assert.Equal((409, "payload-mismatch"), (mismatch.Status, mismatch.Slug));
        Assert.Empty((await bob.GetApprovalAsync(pending.RequestId, Owner)).Approvals);

        var stranger = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => _network.As(Stranger).ApproveAsync(Owner, pending.RequestId, pending.PayloadHash));
        Assert.Equal((403, "not-an-approver"), (stranger.Status, stranger.Slug));
        var peek = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => _network.As(Stranger).GetApprovalAsync(pending.RequestId, Owner));
        Assert.Equal("not-an-approver", peek.Slug);
        var ownVote = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.ApproveAsync(Owner, pending.RequestId, pending.PayloadHash));
        Assert.Equal((403, "owner-only"), (ownVote.Status, ownVote.Slug));
        var ownerVote = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => _network.As(Owner).ApproveAsync(Owner, pending.RequestId, pending.PayloadHash));
        Assert.Equal("not-an-approver", ownerVote.Slug);
        // Listing is the owner's: an approver's client lists its own account (nothing open), the agent gets 403.
        Assert.Empty((await bob.ListApprovalsAsync()).Approvals);
        var list = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => agent.ListApprovalsAsync());
        Assert.Equal((403, "owner-only"), (list.Status, list.Slug));

        var unknown = await Assert.ThrowsAsync<KeystoreRequestException>(() => bob.GetApprovalAsync("AAAAAAAAAAAAAAAAAAAAAA", Owner));
        Assert.Equal((404, "approval-not-found"), (unknown.Status, unknown.Slug));
        var malformed = await Assert.ThrowsAsync<KeystoreRequestException>(() => bob.ApproveAsync(Owner, pending.RequestId, "not-a-hash"));
        Assert.Equal((400, "invalid-approval"), (malformed.Status, malformed.Slug));
        await Assert.ThrowsAsync<ArgumentException>(() => bob.GetApprovalAsync("../agents", Owner));

        await bob.ApproveAsync(Owner, pending.RequestId, pending.PayloadHash);
        var switched = await Assert.ThrowsAsync<KeystoreRequestException>(() => bob.RejectAsync(Owner, pending.RequestId, pending.PayloadHash));
        Assert.Equal((409, "already-voted"), (switched.Status, switched.Slug));
        ApprovalRequest again = await bob.ApproveAsync(Owner, pending.RequestId, pending.PayloadHash);
        Assert.Equal("bob.near", Assert.Single(again.Approvals).Account);
        await _network.As(Owner).CancelApprovalAsync(pending.RequestId);
    }
}
