using Keystore.Agents;
using Keystore.Configuration;
using Keystore.Problems;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.TestSupport.State;
using Microsoft.Extensions.Options;

namespace Keystore.Tests.Agents;

public class AgentStoreTests
{
    private const string Key = "ed25519:9ZK3iNnd9U1WqcGYqnF4dPdLhU7n1cEjbMCKyMR2nJrN";

    private static AgentStore Agents(StateTestStore db) => new(db.Store, Options.Create(db.Options));

    [Fact]
    public async Task Every_change_raises_the_version_and_an_older_agent_row_put_back_is_refused()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        AgentStore agents = Agents(db);
        AgentRecord v1 = await agents.CreateAgentAsync("alice.near", Key, "bot", DateTimeOffset.UtcNow.AddDays(1), """{"maxPerTx":"1"}""", CancellationToken.None);
        (long Version, byte[] Sealed) old = await ReadAgentRowAsync(db);
        AgentRecord v2 = await agents.UpdateAgentAsync("alice.near", Key, null, null, """{"maxPerTx":"0"}""", CancellationToken.None);
        Assert.True(v2.Version > v1.Version);

        // The operator copies the old, more permissive row (with its own version) back into place.
        await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "UPDATE agents SET version = @v, sealed = @s", CancellationToken.None,
            ("@v", old.Version), ("@s", old.Sealed)), CancellationToken.None);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => agents.GetAgentAsync("alice.near", Key, CancellationToken.None));
        Assert.Equal("state-tampered", refused.Problem.Slug);

        // Relabelling the old row with the current version does not open either: the version is in its associated data.
        await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "UPDATE agents SET version = @v", CancellationToken.None, ("@v", v2.Version)), CancellationToken.None);
        Assert.Equal("state-tampered", (await Assert.ThrowsAsync<ProblemException>(() => agents.GetAgentAsync("alice.near", Key, CancellationToken.None))).Problem.Slug);
    }

    [Fact]
    public async Task A_revoked_agent_row_put_back_is_not_an_agent()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        AgentStore agents = Agents(db);
        await agents.CreateAgentAsync("alice.near", Key, "bot", DateTimeOffset.UtcNow.AddDays(1), "{}", CancellationToken.None);
        (long version, byte[] sealedValue) = await ReadAgentRowAsync(db);
        byte[][] ids = await db.Store.ReadAsync(async c =>
        {
            await using var cmd = StateDatabase.Command(c, null, "SELECT account_id, agent_id FROM agents");
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            return new[] { (byte[])r.GetValue(0), (byte[])r.GetValue(1) };
        }, CancellationToken.None);
        await agents.RevokeAgentAsync("alice.near", Key, CancellationToken.None);
        await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "INSERT INTO agents VALUES (@a, @g, @v, @s)", CancellationToken.None,
            ("@a", ids[0]), ("@g", ids[1]), ("@v", version), ("@s", sealedValue)), CancellationToken.None);
        Assert.Null(await agents.GetAgentAsync("alice.near", Key, CancellationToken.None));
        Assert.Empty(await agents.ListAgentsAsync("alice.near", CancellationToken.None));
    }

    [Fact]
    public async Task An_account_row_rolled_back_under_a_running_keystore_is_refused()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        AgentStore agents = Agents(db);
        await agents.SetAccountPolicyAsync("alice.near", frozen: false, null, CancellationToken.None);
        (long version, byte[] sealedValue) = await db.Store.ReadAsync(async c =>
        {
            await using var cmd = StateDatabase.Command(c, null, "SELECT version, sealed FROM accounts");
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            return (r.GetInt64(0), (byte[])r.GetValue(1));
        }, CancellationToken.None);
        await agents.SetAccountPolicyAsync("alice.near", frozen: true, null, CancellationToken.None);
        await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "UPDATE accounts SET version = @v, sealed = @s", CancellationToken.None,
            ("@v", version), ("@s", sealedValue)), CancellationToken.None);
        Assert.Equal("state-tampered", (await Assert.ThrowsAsync<ProblemException>(() => agents.GetAccountPolicyAsync("alice.near", CancellationToken.None))).Problem.Slug);
    }

    [Fact]
    public async Task An_account_may_hold_at_most_the_configured_number_of_agents()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        var agents = new AgentStore(db.Store, Options.Create(new KeystoreOptions { State = new StateOptions { MaxAgentsPerAccount = 1 } }));
        await agents.CreateAgentAsync("alice.near", Key, "bot", DateTimeOffset.UtcNow.AddDays(1), "{}", CancellationToken.None);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() =>
            agents.CreateAgentAsync("alice.near", "ed25519:" + Keystore.Near.Encoding.Base58.Encode(new byte[32]), "bot2", DateTimeOffset.UtcNow.AddDays(1), "{}", CancellationToken.None));
        Assert.Equal("too-many-agents", refused.Problem.Slug);
    }

    private static Task<(long Version, byte[] Sealed)> ReadAgentRowAsync(StateTestStore db) =>
        db.Store.ReadAsync(async c =>
        {
            await using var cmd = StateDatabase.Command(c, null, "SELECT version, sealed FROM agents");
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            return (r.GetInt64(0), (byte[])r.GetValue(1));
        }, CancellationToken.None);
}
