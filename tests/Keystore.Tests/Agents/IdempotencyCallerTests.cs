using System.Net;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// An <c>Idempotency-Key</c> replays an answer to the caller that got it. Another key of the account (an agent) sending
/// the same body with the same key must not be handed a signature its own policy would refuse.
/// </summary>
public sealed class IdempotencyCallerTests
{
    [Fact]
    public async Task An_agent_is_not_handed_the_owners_signature_by_replaying_the_owners_idempotency_key()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, """
            {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
             "limits":{"eth:1":{"perTransaction":"200000000000000000"}}}]}
            """);
        const string body = """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x742d35Cc6634C0532925a3b844Bc454e4438f44e","value":"10000000000000000000","gas":"21000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00"}}""";
        string path = $"/v1/accounts/{AgentRequests.Account}/sign/ethereum";
        HttpRequestMessage WithKey(HttpRequestMessage request)
        {
            request.Headers.Add("Idempotency-Key", "owner-payout-1");
            return request;
        }

        var owner = await AgentRequests.SendAsync(server.Client, WithKey(AgentRequests.Signed(HttpMethod.Post, path, body, server.OwnerKey)));
        Assert.True(owner.Status == HttpStatusCode.OK, owner.Body?.ToJsonString());
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", body), "per-transaction");

        var replay = await AgentRequests.SendAsync(server.Client, WithKey(AgentRequests.Signed(HttpMethod.Post, path, body, agent)));
        Assert.True(replay.Status == HttpStatusCode.Conflict, $"{replay.Status} {replay.Body?.ToJsonString()}");
        Assert.Equal("application/problem+json", replay.ContentType);
        Assert.EndsWith(":idempotency-conflict", replay.Body!["type"]!.GetValue<string>());
        Assert.Null(replay.Body["signedTransaction"]);

        // The owner's own retry still replays its answer.
        var again = await AgentRequests.SendAsync(server.Client, WithKey(AgentRequests.Signed(HttpMethod.Post, path, body, server.OwnerKey)));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(owner.Body!["signedTransaction"]!.GetValue<string>(), again.Body!["signedTransaction"]!.GetValue<string>());
    }
}
