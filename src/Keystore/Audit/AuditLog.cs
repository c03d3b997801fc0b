using System.Buffers;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keystore.State;

namespace Keystore.Audit;

/// <summary>
/// The keystore's audit log in the sealed store (table <c>audit_log</c>): one chain per keystore (per master secret), so a
/// fleet sharing a PostgreSQL database shares one log. Appends are written in transactions under the log's own lock (an
/// advisory lock on PostgreSQL, the single writer on SQLite) that read the head and write the next entries, so the chain
/// never forks; the appends waiting at one moment share one transaction (group commit), and each caller is answered only
/// once its entry committed, so a signature is never handed out before its entry is in the log.
/// Plaintext columns: sequence, time, hashes, signature, and keyed hashes of the account and agent (for the owner's
/// queries); the entry itself (account, agent, chain, rule, amounts…) is sealed like every other row.
/// An append may carry a <see cref="StateChange"/> written in the same transaction (the spending windows' charge of the
/// signature the entry logs), so the two land together or not at all.
/// Once an entry is committed, each <see cref="IAuditObserver"/> is told of it.
/// </summary>
public sealed class AuditLog : IAuditLog
{
    private readonly StateStore _store;
    private readonly AuditKey _key;
    private readonly IAuditObserver[] _observers;
    private readonly GroupCommit<PendingAppend, AuditEntry> _appends;

    public AuditLog(StateStore store, AuditKey key, IEnumerable<IAuditObserver>? observers = null)
    {
        _store = store;
        _key = key;
        _observers = observers?.ToArray() ?? [];
        _appends = new GroupCommit<PendingAppend, AuditEntry>(AppendBatchAsync);
    }

    public const string Table = "audit_log";

    /// <summary>The lock of the log (its first 8 bytes, as <see cref="StateStore.AccountLock"/> reads them): "nkaudit".</summary>
    private static readonly byte[] LogLock = [0x00, 0x6e, 0x6b, 0x61, 0x75, 0x64, 0x69, 0x74];

    private volatile bool _checked;

    /// <summary>Set by the <c>audit</c> boot step once the store is known not to be behind the NEAR anchor.</summary>
    public bool IsChecked => _checked;

    public void MarkChecked() => _checked = true;

    // Until the store is checked against the anchor, no decision is made on it: every caller answers 503 and hands nothing out.
    private void ThrowIfNotChecked()
    {
        if (!_checked)
            throw new Problems.ProblemException(Problems.ProblemTypes.NotReady, "The audit log is not checked against its NEAR anchor yet (boot step 'audit').");
    }

    public Task<AuditEntry> AppendAsync(AuditEvent decision, CancellationToken cancellationToken) => AppendAsync(decision, null, cancellationToken);

    public async Task<AuditEntry> AppendAsync(AuditEvent decision, StateChange? alongside, CancellationToken cancellationToken)
    {
        AuditEntry appended = await StateChange.TrackAsync(alongside, () =>
        {
            ThrowIfNotChecked();
            byte[] accountId = _store.AccountId(decision.Account);
            byte[]? agentId = decision.Agent is null ? null : AgentId(decision.Account, decision.Agent);
            DateTimeOffset at = _store.Time.GetUtcNow();
            // Written together with the appends waiting at the same moment, in one transaction; answered once it committed.
            return _appends.RunAsync(new PendingAppend(decision, accountId, agentId, at, alongside));
        }).ConfigureAwait(false);
        Notify(decision, appended);
        return appended;
    }

    /// <summary>
    /// <see cref="IAuditLog.AppendAllAsync"/>: the decisions go to the group commit at once, so they share its transactions
    /// and the caller waits once; each account's keyed id is computed once. Observers hear of each committed entry, in order.
    /// </summary>
    public async Task<Task<AuditEntry>[]> AppendAllAsync(IReadOnlyList<AuditEvent> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ThrowIfNotChecked();
        DateTimeOffset at = _store.Time.GetUtcNow();
        var pending = new PendingAppend[decisions.Count];
        string? account = null;
        byte[] accountId = [];
        for (int i = 0; i < pending.Length; i++)
        {
            AuditEvent decision = decisions[i];
            if (!string.Equals(decision.Account, account, StringComparison.Ordinal))
                (account, accountId) = (decision.Account, _store.AccountId(decision.Account));
            pending[i] = new PendingAppend(decision, accountId, decision.Agent is null ? null : AgentId(decision.Account, decision.Agent), at, null);
        }
        Task<AuditEntry>[] appended = await _appends.RunAllAsync(pending).ConfigureAwait(false);
        for (int i = 0; i < appended.Length; i++)
            if (appended[i].IsCompletedSuccessfully)
                Notify(decisions[i], appended[i].Result);
        return appended;
    }

    /// <summary>
    /// One transaction under the log's lock: the head is read once and each entry chained onto the one before it, in
    /// queue order, so the chain stays total and never forks (other instances wait on the same lock).
    /// </summary>
    /// <remarks>
    /// On a database this process alone writes (SQLite), the head it committed last is the log's head: it is kept and the
    /// read skipped. Should another log over the same store have written since (the keystore has one; a tool might add
    /// one), the kept head's next sequence already exists, the insert fails, and the batch is written again on the head
    /// read from the database; the chain never forks. Any failed batch forgets the kept head.
    /// </remarks>
    private async Task<AuditEntry[]> AppendBatchAsync(IReadOnlyList<PendingAppend> batch)
    {
        AuditHead? known = _store.IsSoleWriter ? Volatile.Read(ref _committedHead) : null;
        Volatile.Write(ref _committedHead, null);
        AuditEntry[] appended;
        try
        {
            appended = await WriteBatchAsync(batch, known).ConfigureAwait(false);
        }
        catch (Problems.ProblemException) when (known is not null)
        {
            appended = await WriteBatchAsync(batch, null).ConfigureAwait(false);
        }
        if (appended.Length > 0)
            Volatile.Write(ref _committedHead, new AuditHead(appended[^1].Sequence, appended[^1].Hash));
        return appended;
    }

    private Task<AuditEntry[]> WriteBatchAsync(IReadOnlyList<PendingAppend> batch, AuditHead? known) =>
        _store.WriteAsync(LogLock, async (connection, transaction) =>
        {
            AuditHead head = known ?? await HeadAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false);
            var entries = new AuditEntry[batch.Count];
            long sequence = head.Sequence;
            byte[] previous = head.Hash;
            for (int i = 0; i < batch.Count; i++)
            {
                (AuditEvent decision, byte[] accountId, byte[]? agentId, DateTimeOffset at, StateChange? alongside) = batch[i];
                sequence++;
                byte[] content = Content(sequence, at, decision);
                byte[] contentHash = SHA256.HashData(content);
                byte[] hash = AuditEntry.ComputeHash(sequence, previous, contentHash);
                byte[] signature = _key.Sign(hash);
                await StateDatabase.ExecuteAsync(connection, transaction,
                    $"INSERT INTO {Table} (seq, at_ms, account_id, agent_id, prev_hash, content_hash, entry_hash, signature, sealed) VALUES (@q, @t, @a, @g, @p, @c, @h, @s, @v)",
                    CancellationToken.None, ("@q", sequence), ("@t", at.ToUnixTimeMilliseconds()), ("@a", accountId), ("@g", agentId), ("@p", previous),
                    ("@c", contentHash), ("@h", hash), ("@s", signature), ("@v", _store.Sealer.Seal(Table, accountId, sequence, content))).ConfigureAwait(false);
                if (alongside is not null)
                    await alongside.WriteAsync(connection, transaction).ConfigureAwait(false);
                entries[i] = new AuditEntry(sequence, at, previous, contentHash, hash, signature);
                previous = hash;
            }
            return entries;
        }, CancellationToken.None);

    // The head this process committed last; only read when it is the database's sole writer. Batches run one at a time.
    private AuditHead? _committedHead;

    private sealed record PendingAppend(AuditEvent Decision, byte[] AccountId, byte[]? AgentId, DateTimeOffset At, StateChange? Alongside);

    private void Notify(AuditEvent decision, AuditEntry entry)
    {
        foreach (IAuditObserver observer in _observers)
        {
            try
            {
                observer.Appended(decision, entry);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The entry is committed: the decision stands and is answered whatever an observer does.
            }
        }
    }

    /// <summary>The latest entry's sequence and hash (<see cref="AuditHead.Empty"/> for an empty log).</summary>
    public Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken) =>
        _store.ReadAsync(c => HeadAsync(c, null, cancellationToken), cancellationToken);

    /// <summary>The entry at <paramref name="sequence"/>, or null when the log has none there.</summary>
    public Task<AuditEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) =>
        _store.ReadAsync(async c =>
        {
            IReadOnlyList<AuditEntry> one = await ReadChainAsync(c, sequence - 1, 1, cancellationToken).ConfigureAwait(false);
            return one.Count == 1 && one[0].Sequence == sequence ? one[0] : null;
        }, cancellationToken);

    /// <summary>Links after <paramref name="after"/>, in order: what operators may read (no account data).</summary>
    public Task<IReadOnlyList<AuditEntry>> GetChainAsync(long after, int limit, CancellationToken cancellationToken) =>
        _store.ReadAsync(c => ReadChainAsync(c, after, limit, cancellationToken), cancellationToken);

    /// <summary>
    /// An account's entries after <paramref name="after"/>, opened: each with its link and the exact content text that was
    /// hashed, so the owner can check it against the chain. A row that does not open (moved, altered) is 503 <c>state-tampered</c>.
    /// </summary>
    public Task<IReadOnlyList<(AuditEntry Link, string Content)>> GetAccountEntriesAsync(string account, long after, int limit, string? agent,
        DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        byte[] accountId = _store.AccountId(account);
        byte[]? agentId = agent is null ? null : AgentId(account, agent);
        return _store.ReadAsync<IReadOnlyList<(AuditEntry, string)>>(async connection =>
        {
            string sql = $"SELECT {Columns}, sealed FROM {Table} WHERE account_id = @a AND seq > @after AND at_ms >= @from AND at_ms <= @to"
                + (agentId is null ? "" : " AND agent_id = @g") + " ORDER BY seq LIMIT @limit";
            var parameters = new List<(string, object?)>
            {
                ("@a", accountId), ("@after", after), ("@from", from?.ToUnixTimeMilliseconds() ?? long.MinValue),
                ("@to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue), ("@limit", limit),
            };
            if (agentId is not null) parameters.Add(("@g", agentId));
            await using DbCommand command = StateDatabase.Command(connection, null, sql, parameters.ToArray());
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<(AuditEntry, string)>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                AuditEntry link = Link(reader);
                byte[] content = _store.Sealer.Open(Table, accountId, link.Sequence, (byte[])reader.GetValue(6));
                // The sealed text must be what the chain commits to: a row re-sealed with other content is refused too.
                if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(content), link.ContentHash))
                    throw StateProblems.TamperedRow("An audit entry's content does not match its content hash.");
                entries.Add((link, Encoding.UTF8.GetString(content)));
            }
            return entries;
        }, cancellationToken);
    }

    private const string Columns = "seq, at_ms, prev_hash, content_hash, entry_hash, signature";

    private static async Task<IReadOnlyList<AuditEntry>> ReadChainAsync(DbConnection connection, long after, int limit, CancellationToken cancellationToken)
    {
        await using DbCommand command = StateDatabase.Command(connection, null, $"SELECT {Columns} FROM {Table} WHERE seq > @after ORDER BY seq LIMIT @limit",
            ("@after", after), ("@limit", limit));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var links = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            links.Add(Link(reader));
        return links;
    }

    private static AuditEntry Link(DbDataReader reader) => new(
        reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        (byte[])reader.GetValue(2), (byte[])reader.GetValue(3), (byte[])reader.GetValue(4), (byte[])reader.GetValue(5));

    private static async Task<AuditHead> HeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        AuditHead head = AuditHead.Empty;
        await StateDatabase.ReadRowsAsync(connection, transaction, $"SELECT seq, entry_hash FROM {Table} ORDER BY seq DESC LIMIT 1",
            reader => head = new AuditHead(reader.GetInt64(0), (byte[])reader.GetValue(1)), cancellationToken).ConfigureAwait(false);
        return head;
    }

    private byte[] AgentId(string account, string agent) => _store.Sealer.StableRowId("audit-agent", account, agent);

    /// <summary>
    /// The entry's text, the exact bytes the chain hashes: a JSON object with its members in this order, written directly
    /// (every sign request writes one, inside the log's write transaction).
    /// </summary>
    internal static byte[] Content(long sequence, DateTimeOffset at, AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", sequence);
            Span<char> time = stackalloc char[24];
            at.UtcDateTime.TryFormat(time, out int written, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            json.WriteString("at", time[..written]);
            json.WriteString("account", e.Account);
            json.WriteString("kind", e.Kind);
            WriteStringOrNull(json, "agent", e.Agent);
            WriteStringOrNull(json, "chain", e.Chain);
            WriteStringOrNull(json, "rule", e.Rule);
            WriteStringOrNull(json, "payloadHash", e.PayloadHash is null ? null : Convert.ToHexStringLower(e.PayloadHash));
            json.WriteStartArray("amounts");
            foreach (KeyValuePair<string, string> amount in e.Amounts)
            {
                json.WriteStartObject();
                json.WriteString("asset", amount.Key);
                json.WriteString("amount", amount.Value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("destinations");
            foreach (string destination in e.Destinations)
                json.WriteStringValue(destination);
            json.WriteEndArray();
            WriteStringOrNull(json, "detail", e.Detail);
            Span<byte> salt = stackalloc byte[16];
            Security.PooledRandom.Fill(salt);
            json.WriteString("salt", Convert.ToHexStringLower(salt));
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
