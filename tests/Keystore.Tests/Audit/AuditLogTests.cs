using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Near.Keys;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.TestSupport.State;
using Org.BouncyCastle.Crypto.Parameters;

namespace Keystore.Tests.Audit;

public class AuditLogTests
{
    /// <summary>The audit public key computed apart from the code under test: .NET's HMAC for the seed, BouncyCastle for ed25519.</summary>
    private static Ed25519PublicKey ExpectedAuditKey(byte[] master)
    {
        byte[] seed = HMACSHA256.HashData(master, Encoding.ASCII.GetBytes("near-tee-keystore:v1:audit"));
        return new Ed25519PublicKey(new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded());
    }

    private static byte[] ExpectedHash(long seq, byte[] prev, byte[] contentHash)
    {
        byte[] seqBytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seqBytes, (ulong)seq);
        return SHA256.HashData([.. Encoding.ASCII.GetBytes("near-tee-keystore:v1:audit-entry"), 0, .. seqBytes, .. prev, .. contentHash]);
    }

    private static AuditEvent Signed(string account, string? agent = null) =>
        new(account, AuditKinds.Signed) { Agent = agent, Chain = "ethereum", PayloadHash = SHA256.HashData("payload"u8), Amounts = [KeyValuePair.Create("eth:wei", "1000")], Destinations = ["0xabc"] };

    [Fact]
    public async Task Entries_are_chained_by_hash_and_signed_by_the_key_derived_from_the_master_secret()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        log.MarkChecked();
        await log.AppendAsync(Signed("alice.near"), CancellationToken.None);
        await log.AppendAsync(new AuditEvent("bob.near", AuditKinds.Denied) { Rule = "max-per-day" }, CancellationToken.None);
        await log.AppendAsync(new AuditEvent("alice.near", AuditKinds.Frozen), CancellationToken.None);

        Ed25519PublicKey expectedKey = ExpectedAuditKey(StateTestStore.DefaultMaster);
        Assert.Equal(expectedKey.ToString(), key.PublicKeyText);
        IReadOnlyList<AuditEntry> chain = await log.GetChainAsync(0, 100, CancellationToken.None);
        Assert.Equal([1L, 2, 3], chain.Select(e => e.Sequence));
        byte[] prev = new byte[32];
        foreach (AuditEntry e in chain)
        {
            Assert.Equal(prev, e.Previous);
            Assert.Equal(ExpectedHash(e.Sequence, prev, e.ContentHash), e.Hash);
            Assert.True(new Ed25519PublicKeyParameters(expectedKey.Bytes.ToArray()).Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, e.Hash, 0, e.Hash.Length, e.Signature, 0));
            prev = e.Hash;
        }
        Assert.Null(AuditChainVerifier.FirstBad(expectedKey, chain));
        AuditHead head = await log.GetHeadAsync(CancellationToken.None);
        Assert.Equal(3, head.Sequence);
        Assert.Equal(chain[^1].Hash, head.Hash);
    }

    [Fact]
    public async Task The_database_shows_no_account_agent_or_payload_and_owners_read_only_their_entries()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        log.MarkChecked();
        const string agent = "ed25519:DcA2MzgpJbrUATQLLceocVckhhAqrkingax4oJ9kZ847";
        await log.AppendAsync(Signed("alice.near", agent), CancellationToken.None);
        await log.AppendAsync(Signed("bob.near"), CancellationToken.None);
        await log.AppendAsync(new AuditEvent("alice.near", AuditKinds.PolicyChanged), CancellationToken.None);

        byte[] file = await File.ReadAllBytesAsync(db.Options.State.SqlitePath);
        string text = Encoding.Latin1.GetString(file);
        foreach (string secretish in new[] { "alice.near", "bob.near", agent, "ethereum", "0xabc", Convert.ToHexStringLower(SHA256.HashData("payload"u8)) })
            Assert.DoesNotContain(secretish, text);

        IReadOnlyList<(AuditEntry Link, string Content)> alice = await log.GetAccountEntriesAsync("alice.near", 0, 100, null, null, null, CancellationToken.None);
        Assert.Equal([1L, 3], alice.Select(e => e.Link.Sequence));
        JsonNode first = JsonNode.Parse(alice[0].Content)!;
        Assert.Equal("signed", first["kind"]!.GetValue<string>());
        Assert.Equal(agent, first["agent"]!.GetValue<string>());
        Assert.Equal("0xabc", first["destinations"]![0]!.GetValue<string>());
        Assert.Equal(alice[0].Link.ContentHash, SHA256.HashData(Encoding.UTF8.GetBytes(alice[0].Content)));
        Assert.Equal([1L], (await log.GetAccountEntriesAsync("alice.near", 0, 100, agent, null, null, CancellationToken.None)).Select(e => e.Link.Sequence));
        Assert.Equal([3L], (await log.GetAccountEntriesAsync("alice.near", 1, 100, null, null, null, CancellationToken.None)).Select(e => e.Link.Sequence));
        Assert.Empty(await log.GetAccountEntriesAsync("alice.near", 0, 100, null, DateTimeOffset.UtcNow.AddMinutes(5), null, CancellationToken.None));
        Assert.Empty(await log.GetAccountEntriesAsync("carol.near", 0, 100, null, null, null, CancellationToken.None));
    }

    [Fact]
    public void An_entry_s_text_is_its_fields_as_one_JSON_object_in_order_escaped_as_System_Text_Json_escapes()
    {
        var at = new DateTimeOffset(2026, 12, 2, 23, 4, 5, 678, TimeSpan.Zero);
        AuditEvent hostile = new("ä\"<script>&'+\u0001.near", AuditKinds.Signed)
        {
            Agent = "ed25519:\ud83d\ude00", Chain = "ethereum", Rule = null, PayloadHash = [0xde, 0xad],
            Amounts = [KeyValuePair.Create("eth:1", "1"), KeyValuePair.Create("eth:1:erc20:0x\u2028", "250")], Destinations = ["0x\"a", "b"], Detail = "\n",
        };
        byte[] content = AuditLog.Content(7, at, hostile);
        string salt = JsonNode.Parse(content)!["salt"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", salt);
        // The same fields as a System.Text.Json document: the form the log wrote before it wrote its text directly.
        var document = new JsonObject
        {
            ["seq"] = 7, ["at"] = "2026-12-02T23:04:05.678Z", ["account"] = hostile.Account, ["kind"] = "signed", ["agent"] = hostile.Agent, ["chain"] = "ethereum",
            ["rule"] = null, ["payloadHash"] = "dead",
            ["amounts"] = new JsonArray(new JsonObject { ["asset"] = "eth:1", ["amount"] = "1" }, new JsonObject { ["asset"] = "eth:1:erc20:0x\u2028", ["amount"] = "250" }),
            ["destinations"] = new JsonArray("0x\"a", "b"), ["detail"] = "\n", ["salt"] = salt,
        };
        Assert.Equal(document.ToJsonString(), Encoding.UTF8.GetString(content));
        Assert.NotEqual(salt, JsonNode.Parse(AuditLog.Content(7, at, hostile))!["salt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_row_moved_to_another_account_does_not_open()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        log.MarkChecked();
        await log.AppendAsync(Signed("alice.near"), CancellationToken.None);
        byte[] bob = db.Store.AccountId("bob.near");
        await db.Store.WriteAsync(new byte[8], (c, t) => StateDatabase.ExecuteAsync(c, t, "UPDATE audit_log SET account_id = @b", CancellationToken.None, ("@b", bob)), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<Keystore.Problems.ProblemException>(() => log.GetAccountEntriesAsync("bob.near", 0, 100, null, null, null, CancellationToken.None));
        Assert.Equal(StateProblems.Tampered, refused.Problem);
    }

    [Fact]
    public async Task Parallel_appends_make_one_gapless_chain()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        log.MarkChecked();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => log.AppendAsync(Signed($"user{i % 7}.near"), CancellationToken.None))));
        IReadOnlyList<AuditEntry> chain = await log.GetChainAsync(0, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.Null(AuditChainVerifier.FirstBad(ExpectedAuditKey(StateTestStore.DefaultMaster), chain));
    }

    [Fact]
    public async Task On_SQLite_two_logs_over_one_store_still_make_one_gapless_chain_though_each_keeps_the_head_it_wrote()
    {
        // The keystore has one log per store; two (a second registration, a tool) must not fork the chain: a log that
        // chains onto a head it kept, where the other one wrote since, collides on the sequence and reads the head again.
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        AuditLog[] logs = [new AuditLog(db.Store, key), new AuditLog(db.Store, key)];
        foreach (AuditLog log in logs) log.MarkChecked();
        for (int i = 0; i < 20; i++)
            await logs[i % 3 == 0 ? 0 : 1].AppendAsync(Signed($"user{i % 5}.near"), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => logs[i % 2].AppendAsync(Signed($"user{i % 7}.near"), CancellationToken.None))));
        IReadOnlyList<AuditEntry> chain = await logs[0].GetChainAsync(0, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 220).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.Null(AuditChainVerifier.FirstBad(ExpectedAuditKey(StateTestStore.DefaultMaster), chain));
    }

    [Fact]
    public async Task Parallel_appends_from_two_instances_on_PostgreSQL_make_one_gapless_chain()
    {
        string connection = await TestPostgres.CreateDatabaseAsync();
        await using StateTestStore a = await StateTestStore.PostgresAsync(connection);
        await using StateTestStore b = await StateTestStore.PostgresAsync(connection);
        using var keyA = new AuditKey(a.State);
        using var keyB = new AuditKey(b.State);
        AuditLog[] logs = [new AuditLog(a.Store, keyA), new AuditLog(b.Store, keyB)];
        foreach (AuditLog l in logs) l.MarkChecked();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => logs[i % 2].AppendAsync(Signed($"user{i % 5}.near"), CancellationToken.None))));
        IReadOnlyList<AuditEntry> chain = await logs[0].GetChainAsync(0, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), chain.Select(e => e.Sequence));
        Assert.Null(AuditChainVerifier.FirstBad(ExpectedAuditKey(StateTestStore.DefaultMaster), chain));
    }

    [Fact]
    public void A_store_behind_the_anchor_or_with_another_entry_at_it_is_refused()
    {
        byte[] h1 = SHA256.HashData("1"u8), h2 = SHA256.HashData("2"u8);
        var anchor = new AuditAnchor(5, h1, "ed25519:x", 10);
        var entry = new AuditEntry(5, DateTimeOffset.UnixEpoch, new byte[32], new byte[32], h1, new byte[64]);
        Assert.Null(AuditAnchorStep.Compare(new AuditHead(5, h1), anchor, entry));
        Assert.Null(AuditAnchorStep.Compare(new AuditHead(9, h2), anchor, entry));
        Assert.Null(AuditAnchorStep.Compare(AuditHead.Empty, null, null));
        Assert.Contains("behind the audit head anchored on NEAR: its log ends at sequence 4, the DAO holds sequence 5", AuditAnchorStep.Compare(new AuditHead(4, h2), anchor, null));
        Assert.Contains("behind the audit head anchored on NEAR: its log ends at sequence 0", AuditAnchorStep.Compare(AuditHead.Empty, anchor, null));
        Assert.Contains("another audit entry at the anchored sequence 5", AuditAnchorStep.Compare(new AuditHead(5, h2), anchor, entry with { Hash = h2 }));
        Assert.Contains("another audit entry at the anchored sequence 5", AuditAnchorStep.Compare(new AuditHead(7, h2), anchor, null));
    }

    [Fact]
    public async Task Nothing_is_appended_before_the_store_was_checked_against_the_anchor()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        var refused = await Assert.ThrowsAsync<Keystore.Problems.ProblemException>(() => log.AppendAsync(Signed("alice.near"), CancellationToken.None));
        Assert.Equal(Keystore.Problems.ProblemTypes.NotReady, refused.Problem);
        Assert.Equal(0, (await log.GetHeadAsync(CancellationToken.None)).Sequence);
    }
}
