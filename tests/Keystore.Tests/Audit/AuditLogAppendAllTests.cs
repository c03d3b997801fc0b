using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Problems;
using Keystore.Tests.State;
using Keystore.TestSupport.State;

namespace Keystore.Tests.Audit;

/// <summary>Decisions handed to the log at once (a sign-batch's items): the same entries, in order, as one append each.</summary>
public class AuditLogAppendAllTests
{
    private sealed class Recorder : IAuditObserver
    {
        public List<(string Account, long Sequence)> Heard { get; } = [];

        public void Appended(AuditEvent decision, AuditEntry entry)
        {
            lock (Heard) Heard.Add((decision.Account, entry.Sequence));
        }
    }

    [Fact]
    public async Task Decisions_appended_together_are_chained_in_order_readable_by_their_owners_and_heard_by_observers()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var recorder = new Recorder();
        var log = new AuditLog(db.Store, key, [recorder]);
        log.MarkChecked();
        await log.AppendAsync(new AuditEvent("carol.near", AuditKinds.Frozen), CancellationToken.None);

        AuditEvent[] decisions =
        [
            .. Enumerable.Range(0, 5).Select(i => new AuditEvent("alice.near", AuditKinds.Signed) { Chain = "ethereum", PayloadHash = SHA256.HashData([(byte)i]) }),
            new AuditEvent("bob.near", AuditKinds.Signed) { Chain = "solana", Agent = "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp" },
            new AuditEvent("alice.near", AuditKinds.Signed) { Chain = "bitcoin" },
        ];
        Task<AuditEntry>[] appended = await log.AppendAllAsync(decisions, CancellationToken.None);

        Assert.All(appended, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8], appended.Select(t => t.Result.Sequence));
        IReadOnlyList<AuditEntry> chain = await log.GetChainAsync(0, 100, CancellationToken.None);
        Assert.Null(AuditChainVerifier.FirstBad(Keystore.Near.Keys.Ed25519PublicKey.Parse(key.PublicKeyText!), chain));
        Assert.Equal(appended.Select(t => t.Result.Hash), chain.Skip(1).Select(e => e.Hash));

        // Each entry under its own account, with its own content, as a single append would have written it.
        IReadOnlyList<(AuditEntry Link, string Content)> alice = await log.GetAccountEntriesAsync("alice.near", 0, 100, null, null, null, CancellationToken.None);
        Assert.Equal([2L, 3, 4, 5, 6, 8], alice.Select(e => e.Link.Sequence));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([(byte)3])), JsonNode.Parse(alice[3].Content)!["payloadHash"]!.GetValue<string>());
        Assert.Equal("bitcoin", JsonNode.Parse(alice[5].Content)!["chain"]!.GetValue<string>());
        (AuditEntry bobLink, string bobContent) = Assert.Single(await log.GetAccountEntriesAsync("bob.near", 0, 100, null, null, null, CancellationToken.None));
        Assert.Equal(7, bobLink.Sequence);
        Assert.Equal("ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp", JsonNode.Parse(bobContent)!["agent"]!.GetValue<string>());
        Assert.Single(await log.GetAccountEntriesAsync("bob.near", 0, 100, "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp", null, null, CancellationToken.None));

        Assert.Equal([("carol.near", 1L), ("alice.near", 2), ("alice.near", 3), ("alice.near", 4), ("alice.near", 5), ("alice.near", 6), ("bob.near", 7), ("alice.near", 8)],
            recorder.Heard);
    }

    [Fact]
    public async Task A_log_not_yet_checked_against_its_anchor_takes_no_decision_at_all()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        ProblemException refused = await Assert.ThrowsAsync<ProblemException>(() => log.AppendAllAsync([new AuditEvent("alice.near", AuditKinds.Signed)], CancellationToken.None));
        Assert.Equal(ProblemTypes.NotReady, refused.Problem);
        log.MarkChecked();
        Assert.Empty(await log.GetChainAsync(0, 100, CancellationToken.None));
    }
}
