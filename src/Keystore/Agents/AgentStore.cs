using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Keystore.Configuration;
using Keystore.Problems;
using Keystore.State;
using Microsoft.Extensions.Options;

namespace Keystore.Agents;

/// <summary>
/// Agent keys and account policies in the sealed store, read through on every request (no cache: a revocation holds
/// at once on every instance sharing the database).
/// </summary>
/// <remarks>
/// Rollback defence: each account has one row whose version grows with every change of its agents or policy, and which
/// (sealed) lists the version of each of its agent rows. An agent row is believed only at the version its account row
/// names, so an old copy of a policy put back in place does not open (the version is in its associated data) or is
/// refused; this instance also remembers the highest account version it has seen and refuses anything older. Rolling
/// back the whole database is not detected here (that needs an anchor outside it).
/// </remarks>
public sealed class AgentStore(StateStore store, IOptions<KeystoreOptions> options)
{
    private const string AccountsTable = "accounts";
    private const string AgentsTable = "agents";
    private const int HighWaterCapacity = 100_000;
    private readonly ConcurrentDictionary<string, long> _highWater = new(StringComparer.Ordinal);

    public async Task<AccountPolicy> GetAccountPolicyAsync(string account, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        (long version, AccountRow? row) = await store.ReadAsync(c => ReadAccountAsync(c, null, accountId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return row is null ? AccountPolicy.Empty : new AccountPolicy(row.Frozen, row.Rules, version, row.UpdatedAt);
    }

    /// <summary>The agent with this key on this account (expired ones too), or null.</summary>
    public async Task<AgentRecord?> GetAgentAsync(string account, string publicKey, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        byte[] agentId = AgentId(account, publicKey);
        AccountSnapshot snapshot = await store.ReadAsync(c => ReadSnapshotAsync(c, accountId, agentId, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (snapshot.Row is null || !snapshot.Row.Agents.TryGetValue(publicKey, out long version)) return null;
        return OpenAgent(snapshot, accountId, agentId, version);
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(string account, CancellationToken cancellationToken)
    {
        byte[] accountId = store.AccountId(account);
        AccountSnapshot snapshot = await store.ReadAsync(c => ReadSnapshotAsync(c, accountId, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        var agents = new List<AgentRecord>();
        foreach ((string publicKey, long version) in (snapshot.Row?.Agents ?? []).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            AgentRecord? agent = OpenAgent(snapshot, accountId, AgentId(account, publicKey), version);
            if (agent is not null) agents.Add(agent);
        }
        return agents;
    }

    public Task<AgentRecord> CreateAgentAsync(string account, string publicKey, string name, DateTimeOffset expiresAt, string policy, CancellationToken cancellationToken) =>
        ChangeAsync(account, async (c, t, accountId, version, row, now) =>
        {
            if (row.Agents.ContainsKey(publicKey))
                throw new ProblemException(AgentProblems.AgentExists, $"{publicKey} is already an agent key of '{account}'; update it with PUT or revoke it first.");
            if (row.Agents.Count >= options.Value.State.MaxAgentsPerAccount)
                throw new ProblemException(AgentProblems.TooManyAgents, $"'{account}' has {row.Agents.Count} agent keys, the most it may (Keystore:State:MaxAgentsPerAccount).");
            var agent = new AgentRecord(publicKey, name, now, now, expiresAt, policy, version);
            await WriteAgentAsync(c, t, accountId, AgentId(account, publicKey), agent, cancellationToken).ConfigureAwait(false);
            row.Agents[publicKey] = version;
            return agent;
        }, cancellationToken);

    public Task<AgentRecord> UpdateAgentAsync(string account, string publicKey, string? name, DateTimeOffset? expiresAt, string? policy, CancellationToken cancellationToken) =>
        ChangeAsync(account, async (c, t, accountId, version, row, now) =>
        {
            byte[] agentId = AgentId(account, publicKey);
            AgentRecord current = (row.Agents.TryGetValue(publicKey, out long old) ? await ReadAgentAsync(c, t, accountId, agentId, old, cancellationToken).ConfigureAwait(false) : null)
                ?? throw NotFound(account, publicKey);
            AgentRecord agent = current with { Name = name ?? current.Name, ExpiresAt = expiresAt ?? current.ExpiresAt, Policy = policy ?? current.Policy, UpdatedAt = now, Version = version };
            await WriteAgentAsync(c, t, accountId, agentId, agent, cancellationToken).ConfigureAwait(false);
            row.Agents[publicKey] = version;
            return agent;
        }, cancellationToken);

    /// <summary>Revokes an agent key: its rows go, and the account row stops vouching for it in the same transaction.</summary>
    public Task<long> RevokeAgentAsync(string account, string publicKey, CancellationToken cancellationToken) =>
        ChangeAsync(account, async (c, t, accountId, version, row, now) =>
        {
            if (!row.Agents.Remove(publicKey))
                throw NotFound(account, publicKey);
            await StateDatabase.ExecuteAsync(c, t, "DELETE FROM agents WHERE account_id = @a AND agent_id = @g", cancellationToken,
                ("@a", accountId), ("@g", AgentId(account, publicKey))).ConfigureAwait(false);
            return version;
        }, cancellationToken);

    public Task<AccountPolicy> SetAccountPolicyAsync(string account, bool frozen, string? rules, CancellationToken cancellationToken) =>
        ChangeAsync(account, (c, t, accountId, version, row, now) =>
            Task.FromResult(new AccountPolicy(frozen, rules, version, now)), cancellationToken,
            (row, policy) => row with { Frozen = policy.Frozen, Rules = policy.Rules });

    private static ProblemException NotFound(string account, string publicKey) =>
        new(AgentProblems.AgentNotFound, $"{publicKey} is not an agent key of '{account}'.");

    private byte[] AgentId(string account, string publicKey) => store.Sealer.RowId("agent", account, publicKey);

    /// <summary>One change of an account's state, under its write lock: the account row is read, changed, re-sealed at version + 1.</summary>
    private async Task<T> ChangeAsync<T>(string account, Func<DbConnection, DbTransaction, byte[], long, AccountRow, DateTimeOffset, Task<T>> change,
        CancellationToken cancellationToken, Func<AccountRow, T, AccountRow>? reshape = null)
    {
        byte[] accountId = store.AccountId(account);
        DateTimeOffset now = store.Time.GetUtcNow();
        (T answer, long written) = await store.WriteAsync(accountId, async (c, t) =>
        {
            (long version, AccountRow? existing) = await ReadAccountAsync(c, t, accountId, cancellationToken).ConfigureAwait(false);
            AccountRow row = existing is null ? new AccountRow(false, null, null, new Dictionary<string, long>(StringComparer.Ordinal)) : existing with { Agents = new Dictionary<string, long>(existing.Agents, StringComparer.Ordinal) };
            long next = version + 1;
            T result = await change(c, t, accountId, next, row, now).ConfigureAwait(false);
            row = (reshape is null ? row : reshape(row, result)) with { UpdatedAt = now };
            byte[] sealedValue = store.Sealer.Seal(AccountsTable, accountId, next, JsonSerializer.SerializeToUtf8Bytes(row, AgentStoreJson.Default.AccountRow));
            await StateDatabase.ExecuteAsync(c, t,
                "INSERT INTO accounts (account_id, version, sealed) VALUES (@a, @v, @s) ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, sealed = excluded.sealed",
                cancellationToken, ("@a", accountId), ("@v", next), ("@s", sealedValue)).ConfigureAwait(false);
            return (result, next);
        }, cancellationToken).ConfigureAwait(false);
        // Only once committed: a version remembered before its commit could be rolled back, and the next read would
        // take the older row in the database for a rollback by its host.
        Remember(accountId, written);
        return answer;
    }

    private async Task<(long Version, AccountRow? Row)> ReadAccountAsync(DbConnection c, DbTransaction? t, byte[] accountId, CancellationToken cancellationToken)
    {
        long? seen = HighWater(accountId);
        (long Version, byte[] Sealed)? found = null;
        // Kept prepared on SQLite: this read runs on every sign request.
        await StateDatabase.ReadRowsAsync(c, t, "SELECT version, sealed FROM accounts WHERE account_id = @a",
            reader => found = (reader.GetInt64(0), (byte[])reader.GetValue(1)), cancellationToken, ("@a", accountId)).ConfigureAwait(false);
        return OpenAccount(accountId, seen, found);
    }

    /// <summary>An account row and its agent rows (all of them, or the one asked for) as one statement saw them.</summary>
    private sealed record AccountSnapshot(AccountRow? Row, Dictionary<string, (long Version, byte[] Sealed)> Agents);

    /// <remarks>
    /// One statement, so one snapshot of the database: an agent row read apart from its account row could belong to a
    /// change committed between the two reads (by another request or instance) and look like a row rolled back.
    /// </remarks>
    private async Task<AccountSnapshot> ReadSnapshotAsync(DbConnection c, byte[] accountId, byte[]? agentId, CancellationToken cancellationToken)
    {
        long? seen = HighWater(accountId);
        (long Version, byte[] Sealed)? found = null;
        var agents = new Dictionary<string, (long, byte[])>(StringComparer.Ordinal);
        await StateDatabase.ReadRowsAsync(c, null, agentId is null ? SnapshotSql : SnapshotOfOneSql, reader =>
        {
            found ??= (reader.GetInt64(0), (byte[])reader.GetValue(1));
            if (!reader.IsDBNull(2))
                agents[Convert.ToHexString((byte[])reader.GetValue(2))] = (reader.GetInt64(3), (byte[])reader.GetValue(4));
        }, cancellationToken, agentId is null ? [("@a", accountId)] : [("@a", accountId), ("@g", agentId)]).ConfigureAwait(false);
        return new AccountSnapshot(OpenAccount(accountId, seen, found).Row, agents);
    }

    private const string SnapshotSql =
        "SELECT a.version, a.sealed, g.agent_id, g.version, g.sealed FROM accounts a LEFT JOIN agents g ON g.account_id = a.account_id WHERE a.account_id = @a";

    private const string SnapshotOfOneSql =
        "SELECT a.version, a.sealed, g.agent_id, g.version, g.sealed FROM accounts a LEFT JOIN agents g ON g.account_id = a.account_id AND g.agent_id = @g WHERE a.account_id = @a";

    /// <param name="seen">
    /// The highest version this instance knew committed before the read began (taken before the statement ran): what a
    /// read that started later saw, or a change committed while this one ran, must not make this one look rolled back.
    /// </param>
    private (long Version, AccountRow? Row) OpenAccount(byte[] accountId, long? seen, (long Version, byte[] Sealed)? found)
    {
        if (found is not { } stored)
        {
            if (seen is not null)
                throw StateProblems.TamperedRow("An account's state disappeared from the database after this keystore saw it.");
            return (0, null);
        }
        (long version, byte[] sealedValue) = stored;
        if (version < seen)
            throw StateProblems.TamperedRow("An account's state is older than one this keystore already saw (a rolled-back row).");
        AccountRow row = JsonSerializer.Deserialize(store.Sealer.Open(AccountsTable, accountId, version, sealedValue), AgentStoreJson.Default.AccountRow)
            ?? throw StateProblems.TamperedRow("An account row is empty.");
        Remember(accountId, version);
        return (version, row with { Agents = new Dictionary<string, long>(row.Agents, StringComparer.Ordinal) });
    }

    private long? HighWater(byte[] accountId) => _highWater.TryGetValue(Convert.ToHexString(accountId), out long seen) ? seen : null;

    /// <summary>An agent row of a snapshot, believed only at the version its account row vouches for.</summary>
    private AgentRecord? OpenAgent(AccountSnapshot snapshot, byte[] accountId, byte[] agentId, long expectedVersion) =>
        OpenAgentRow(accountId, agentId, expectedVersion,
            snapshot.Agents.TryGetValue(Convert.ToHexString(agentId), out (long Version, byte[] Sealed) stored) ? stored : null);

    private async Task<AgentRecord?> ReadAgentAsync(DbConnection c, DbTransaction? t, byte[] accountId, byte[] agentId, long expectedVersion, CancellationToken cancellationToken)
    {
        await using DbCommand command = StateDatabase.Command(c, t, "SELECT version, sealed FROM agents WHERE account_id = @a AND agent_id = @g", ("@a", accountId), ("@g", agentId));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return OpenAgentRow(accountId, agentId, expectedVersion,
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : null);
    }

    /// <param name="stored">The agent row as read (its version and sealed value), or null when there was none.</param>
    private AgentRecord? OpenAgentRow(byte[] accountId, byte[] agentId, long expectedVersion, (long Version, byte[] Sealed)? stored)
    {
        if (stored is not (long version, byte[] sealedValue))
            throw StateProblems.TamperedRow("An agent row its account vouches for is missing.");
        if (version != expectedVersion)
            throw StateProblems.TamperedRow("An agent row is at another version than its account vouches for (a copied or rolled-back row).");
        byte[] identity = [.. accountId, .. agentId];
        return JsonSerializer.Deserialize(store.Sealer.Open(AgentsTable, identity, version, sealedValue), AgentStoreJson.Default.AgentRecord);
    }

    private async Task WriteAgentAsync(DbConnection c, DbTransaction t, byte[] accountId, byte[] agentId, AgentRecord agent, CancellationToken cancellationToken)
    {
        byte[] identity = [.. accountId, .. agentId];
        byte[] sealedValue = store.Sealer.Seal(AgentsTable, identity, agent.Version, JsonSerializer.SerializeToUtf8Bytes(agent, AgentStoreJson.Default.AgentRecord));
        await StateDatabase.ExecuteAsync(c, t,
            "INSERT INTO agents (account_id, agent_id, version, sealed) VALUES (@a, @g, @v, @s) ON CONFLICT (account_id, agent_id) DO UPDATE SET version = excluded.version, sealed = excluded.sealed",
            cancellationToken, ("@a", accountId), ("@g", agentId), ("@v", agent.Version), ("@s", sealedValue)).ConfigureAwait(false);
    }

    private void Remember(byte[] accountId, long version)
    {
        string key = Convert.ToHexString(accountId);
        if (_highWater.Count >= HighWaterCapacity && !_highWater.ContainsKey(key)) return;
        _highWater.AddOrUpdate(key, version, (_, seen) => Math.Max(seen, version));
    }
}
