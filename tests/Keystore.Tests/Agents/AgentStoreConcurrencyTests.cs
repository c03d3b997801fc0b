using Keystore.Agents;
using Keystore.TestSupport.State;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Agents;

/// <summary>
/// Reads racing changes on a shared PostgreSQL (READ COMMITTED: every statement sees what was committed when it began):
/// the rollback defence must tell a change committed meanwhile from a row put back, or an honest fleet answers 503
/// <c>state-tampered</c> to its own traffic.
/// </summary>
public class AgentStoreConcurrencyTests
{
    private const string Account = "alice.near";
    private const string Key = "ed25519:9ZK3iNnd9U1WqcGYqnF4dPdLhU7n1cEjbMCKyMR2nJrN";

    [Fact]
    public async Task Reads_on_two_instances_racing_changes_of_the_agent_never_take_them_for_a_rollback()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        await using StateTestStore first = await StateTestStore.PostgresAsync(database);
        await using StateTestStore second = await StateTestStore.PostgresAsync(database);
        var writer = new AgentStore(first.Store, Options.Create(first.Options));
        // The writer's instance reads too (its high-water mark moves with its own changes), and so does another one.
        AgentStore[] readers = [writer, new AgentStore(second.Store, Options.Create(second.Options))];
        await writer.CreateAgentAsync(Account, Key, "bot", DateTimeOffset.UtcNow.AddDays(1), """{"v":0}""", CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var read = new long[1];
        Task[] reading = [.. Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            AgentStore agents = readers[i % 2];
            while (!stop.IsCancellationRequested)
            {
                // Each read form: the agent, the list, the account policy.
                AgentRecord? agent = await agents.GetAgentAsync(Account, Key, CancellationToken.None);
                Assert.NotNull(agent);
                Assert.Single(await agents.ListAgentsAsync(Account, CancellationToken.None));
                await agents.GetAccountPolicyAsync(Account, CancellationToken.None);
                Interlocked.Increment(ref read[0]);
            }
        }))];
        long lastVersion = 0;
        for (int change = 1; change <= 150; change++)
        {
            AgentRecord changed = await writer.UpdateAgentAsync(Account, Key, null, null, $$"""{"v":{{change}}}""", CancellationToken.None);
            Assert.True(changed.Version > lastVersion);
            lastVersion = changed.Version;
            if (change % 10 == 0)
                await writer.SetAccountPolicyAsync(Account, false, null, CancellationToken.None);
        }
        await stop.CancelAsync();
        await Task.WhenAll(reading);
        Assert.True(read[0] > 20, $"only {read[0]} rounds of reads ran alongside the changes");

        // A row put back is still refused: the defence was narrowed to what a concurrent change explains, not dropped.
        AgentRecord? now = await readers[1].GetAgentAsync(Account, Key, CancellationToken.None);
        Assert.Equal(lastVersion, now!.Version);
    }
}
