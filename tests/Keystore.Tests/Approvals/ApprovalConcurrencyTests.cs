using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.State;
using Keystore.TestSupport.State;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Approvals;

/// <summary>
/// A request is finished once: the m-th approval moves it to signing inside the account's write transaction, so two
/// approvers voting at the same moment, on two instances sharing one PostgreSQL database, get one signature between them.
/// </summary>
public sealed class ApprovalConcurrencyTests
{
    [Fact]
    public async Task Two_approvals_racing_on_two_instances_sign_exactly_once()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Keystore:State:Provider"] = "postgres", ["Keystore:State:ConnectionString"] = database };
        Dictionary<string, NSec.Cryptography.Key> people = NewPeople();
        try
        {
            await using ApprovalHarness a = await StartAsync(settings: settings, people: people);
            await using ApprovalHarness b = await JoinAsync(a, settings, people);
            const int rounds = 4;
            for (int round = 0; round < rounds; round++)
            {
                string body = Transfer((200 + round) * Milli, round);
                string id = await a.OpenAsync(body);
                Assert.Equal(HttpStatusCode.OK, (await a.VoteAsync(id, "bob.near", HashOf(body))).Status);

                (HttpStatusCode Status, JsonNode? Body)[] votes = await Task.WhenAll(
                    a.VoteAsync(id, "carol.near", HashOf(body)),
                    b.VoteAsync(id, "dave.near", HashOf(body)));
                Assert.Single(votes, v => v.Status == HttpStatusCode.OK && v.Body!["state"]!.GetValue<string>() == "signed");
                (HttpStatusCode lost, JsonNode? problem) = Assert.Single(votes, v => v.Status != HttpStatusCode.OK);
                Assert.Equal(HttpStatusCode.Conflict, lost);
                Assert.EndsWith(":approval-not-pending", problem!["type"]!.GetValue<string>());

                var audit = await a.AuditAsync();
                Assert.Single(audit, e => e.Kind == "signed" && e.PayloadHash == HashOf(body));
                Assert.Equal(2, audit.Count(e => e.Kind == "approved" && e.PayloadHash == HashOf(body)));
            }

            // Each signature was charged to the daily window once, value and fee: 4 × ~0.2 ETH of the 1 ETH day, so 0.19 more is refused only past it.
            (HttpStatusCode dry, JsonNode? decision) = await a.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum?dryRun=true", Transfer(100 * Milli, 9), Account, a.AgentKey);
            Assert.Equal(HttpStatusCode.OK, dry);
            JsonNode daily = decision!["windows"]!.AsArray().Single(w => w!["rule"]!.GetValue<string>() == "window:eth:1:daily")!;
            Assert.Equal(((200 + 201 + 202 + 203) * Milli + 4 * Fee).ToString(), daily["current"]!.GetValue<string>());
        }
        finally
        {
            DisposePeople(people);
        }
    }

    [Fact]
    public async Task Every_approver_voting_at_once_on_one_instance_signs_once()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        (HttpStatusCode Status, JsonNode? Body)[] votes = await Task.WhenAll(Approvers.Select(a => h.VoteAsync(id, a, HashOf(body))));
        Assert.Single(votes, v => v.Status == HttpStatusCode.OK && v.Body!["state"]!.GetValue<string>() == "signed");
        Assert.Single(await h.AuditAsync(), e => e.Kind == "signed");
    }
}
