using System.Net;
using System.Text.Json.Nodes;
using Keystore.Approvals;
using Keystore.Tests.State;
using Keystore.Tests.Support;
using Keystore.Tests.Webhooks;
using Keystore.TestSupport.State;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Approvals;

/// <summary>
/// What happens to requests nobody acts on: one left <c>signing</c> by an instance that stopped between the m-th approval
/// and storing its result is finished once, by a reader or the sweeper, after its lease; one past its expiry is expired by
/// the sweeper without anyone reading it, audited once (also with two instances sweeping one PostgreSQL database) and told to
/// the owner's webhook.
/// </summary>
public sealed class ApprovalRecoveryTests
{
    private static Dictionary<string, string?> Settings(string sqlitePath, int sweepSeconds = 3600) => new()
    {
        ["Keystore:State:SqlitePath"] = sqlitePath,
        ["Keystore:Approvals:SweepIntervalSeconds"] = sweepSeconds.ToString(),
        ["Keystore:Approvals:SigningLeaseSeconds"] = "600",
    };

    /// <summary>
    /// What the m-th vote writes in its transaction (the vote, <c>signing</c>, a lease, attempt 1) and nothing after: the
    /// instance stops before it signs and stores the result.
    /// </summary>
    private static async Task LeaveSigningAsync(ApprovalHarness h, string id, string approver)
    {
        ApprovalStore store = h.Server.Services.GetRequiredService<ApprovalStore>();
        DateTimeOffset now = h.Clock!.Now;
        var changed = await store.ChangeAsync(Account, id, p => (p with
        {
            Approvals = [.. p.Approvals, new ApprovalVote(approver, now)],
            State = ApprovalStates.Signing,
            SigningLeaseUntil = now.AddSeconds(600),
            SigningAttempts = 1,
        }, true), CancellationToken.None);
        Assert.Equal(ApprovalStates.Signing, changed!.Value.Approval.State);
    }

    [Fact]
    public async Task A_request_left_signing_by_a_stopped_instance_is_finished_once_after_its_lease_by_a_reader_or_the_sweeper_of_a_new_instance()
    {
        string folder = Path.Combine(Path.GetTempPath(), "keystore-approval-recovery-" + Guid.NewGuid().ToString("N"));
        Dictionary<string, string?> settings = Settings(Path.Combine(folder, "state.db"));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        Dictionary<string, NSec.Cryptography.Key> people = NewPeople();
        try
        {
            ApprovalHarness crashed = await StartAsync(settings: settings, clock: clock, people: people);
            string readBody = Transfer(200 * Milli, 0), sweptBody = Transfer(300 * Milli, 1);
            string read = await crashed.OpenAsync(readBody), swept = await crashed.OpenAsync(sweptBody);
            foreach ((string id, string body) in new[] { (read, readBody), (swept, sweptBody) })
            {
                Assert.Equal(HttpStatusCode.OK, (await crashed.VoteAsync(id, "bob.near", HashOf(body))).Status);
                await LeaveSigningAsync(crashed, id, "carol.near");
            }
            await crashed.Server.DisposeAsync();

            await using ApprovalHarness restarted = await JoinAsync(crashed, settings, people, clock);
            ApprovalSweeper sweeper = restarted.Server.Services.GetRequiredService<ApprovalSweeper>();

            // Within the lease the stopped attempt might still be running somewhere: nobody takes it over.
            (_, JsonNode? waiting) = await restarted.GetAsync(read, "bob.near");
            Assert.Equal("signing", waiting!["state"]!.GetValue<string>());
            Assert.Equal(0, (await sweeper.SweepAsync(CancellationToken.None)).TakenOver);
            Assert.Equal(HttpStatusCode.Conflict, (await restarted.VoteAsync(read, "dave.near", HashOf(readBody))).Status);

            clock.Advance(TimeSpan.FromSeconds(601));
            // A reader finishes the first; the sweeper, with nobody reading, the second.
            (_, JsonNode? byReader) = await restarted.GetAsync(read, "bob.near");
            Assert.Equal("signed", byReader!["state"]!.GetValue<string>());
            ApprovalSweep sweep = await sweeper.SweepAsync(CancellationToken.None);
            Assert.Equal((1, 0), (sweep.TakenOver, sweep.Expired));
            foreach (string id in new[] { read, swept })
            {
                (_, JsonNode? view) = await restarted.GetAsync(id, Account);
                Assert.Equal("signed", view!["state"]!.GetValue<string>());
                Assert.StartsWith("0x02", view["result"]!["signedTransaction"]!.GetValue<string>());
            }
            Assert.Equal(0, (await sweeper.SweepAsync(CancellationToken.None)).Due);

            var audit = await restarted.AuditAsync();
            Assert.Single(audit, e => e.Kind == "signed" && e.PayloadHash == HashOf(readBody));
            Assert.Single(audit, e => e.Kind == "signed" && e.PayloadHash == HashOf(sweptBody));
            // Each was charged to the daily window once, value and fee.
            (HttpStatusCode dry, JsonNode? decision) = await restarted.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum?dryRun=true",
                Transfer(10 * Milli, 9), Account, restarted.AgentKey);
            Assert.Equal(HttpStatusCode.OK, dry);
            JsonNode daily = decision!["windows"]!.AsArray().Single(w => w!["rule"]!.GetValue<string>() == "window:eth:1:daily")!;
            Assert.Equal((500 * Milli + 2 * Fee).ToString(), daily["current"]!.GetValue<string>());
        }
        finally
        {
            DisposePeople(people);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_sweeper_expires_requests_nobody_reads_audits_each_once_and_tells_the_webhook()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using ApprovalHarness h = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Keystore:Approvals:ExpirySeconds"] = "3600",
            ["Keystore:Approvals:SweepIntervalSeconds"] = "1",
            ["Keystore:Webhooks:AllowInsecureLoopback"] = "true",
        }, clock: clock);
        string hook = new JsonObject { ["url"] = receiver.Url, ["events"] = new JsonArray("expired") }.ToJsonString();
        Assert.Equal(HttpStatusCode.OK, (await h.SendAsync(HttpMethod.Put, $"/v1/accounts/{Account}/webhook", hook, Account, h.Server.OwnerKey)).Status);
        string[] bodies = [Transfer(200 * Milli, 0), Transfer(300 * Milli, 1)];
        string[] ids = [await h.OpenAsync(bodies[0]), await h.OpenAsync(bodies[1])];

        clock.Advance(TimeSpan.FromSeconds(3600));
        // Nobody reads them: the hosted sweeper, on its own, expires both and the webhook hears of each.
        WebhookReceiver.Received[] deliveries = [await receiver.NextAsync(), await receiver.NextAsync()];
        Assert.All(deliveries, d => Assert.Equal("expired", d.Event));
        Assert.Equal(ids.Order(), deliveries.Select(d => JsonNode.Parse(d.Body)!["requestId"]!.GetValue<string>()).Order());

        // Reading them afterwards, or sweeping again, records nothing more.
        Assert.Equal(0, (await h.Server.Services.GetRequiredService<ApprovalSweeper>().SweepAsync(CancellationToken.None)).Due);
        foreach (string id in ids)
        {
            (_, JsonNode? view) = await h.GetAsync(id, Account);
            Assert.Equal("expired", view!["state"]!.GetValue<string>());
        }
        var audit = await h.AuditAsync();
        foreach (string body in bodies)
            Assert.Single(audit, e => e.Kind == "expired" && e.PayloadHash == HashOf(body));
        Assert.DoesNotContain(audit, e => e.Kind == "signed");
    }

    [Fact]
    public async Task Two_instances_sweeping_one_PostgreSQL_database_at_once_expire_each_request_once()
    {
        string database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Keystore:State:Provider"] = "postgres",
            ["Keystore:State:ConnectionString"] = database,
            ["Keystore:Approvals:ExpirySeconds"] = "3600",
            ["Keystore:Approvals:SweepIntervalSeconds"] = "1",
        };
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        Dictionary<string, NSec.Cryptography.Key> people = NewPeople();
        try
        {
            await using ApprovalHarness a = await StartAsync(settings: settings, clock: clock, people: people);
            await using ApprovalHarness b = await JoinAsync(a, settings, people, clock);
            string[] bodies = Enumerable.Range(0, 6).Select(i => Transfer((200 + i) * Milli, i)).ToArray();
            for (int i = 0; i < bodies.Length; i++)
                await (i % 2 == 0 ? a : b).OpenAsync(bodies[i]);

            clock.Advance(TimeSpan.FromSeconds(3600));
            // Both instances' hosted sweepers run every second; two more passes at the same moment race them too.
            ApprovalSweep[] sweeps = await Task.WhenAll(
                a.Server.Services.GetRequiredService<ApprovalSweeper>().SweepAsync(CancellationToken.None),
                b.Server.Services.GetRequiredService<ApprovalSweeper>().SweepAsync(CancellationToken.None));
            Assert.True(sweeps.Sum(s => s.Expired) <= bodies.Length);
            List<(string Kind, string? Detail, string? PayloadHash, string? Rule)> audit = [];
            for (int i = 0; i < 100; i++)
            {
                audit = await a.AuditAsync();
                if (audit.Count(e => e.Kind == "expired") >= bodies.Length) break;
                await Task.Delay(100);
            }
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // a few more passes of both hosted sweepers
            audit = await b.AuditAsync();
            foreach (string body in bodies)
                Assert.Single(audit, e => e.Kind == "expired" && e.PayloadHash == HashOf(body));
        }
        finally
        {
            DisposePeople(people);
        }
    }

    [Fact]
    public async Task An_attempt_stalled_after_its_signature_was_logged_has_already_ended_the_request_so_nothing_is_taken_over_or_charged_twice()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var first = new HeldExecutor(beforeSigning: false);
        Dictionary<string, NSec.Cryptography.Key> people = NewPeople();
        try
        {
            await using ApprovalHarness h = await StartOnAsync(await ServerWithAsync(first, people, clock), people, clock);
            string body = Transfer(200 * Milli, 0);
            // The m-th vote's attempt signs, logs, charges and stores its result in one transaction, then stalls (as an
            // instance stopping there would) past its lease: the request is signed already, so a reader takes nothing over.
            (Task<(HttpStatusCode Status, JsonNode? Body)> stalledVote, JsonNode? read) = await StallTheMthVoteAsync(h, first, body);
            Assert.Equal("signed", read!["state"]!.GetValue<string>());
            Assert.Equal(1, first.Calls);

            first.Release.SetResult();
            (HttpStatusCode status, JsonNode? vote) = await stalledVote;
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(read["result"]!.ToJsonString(), vote!["result"]!.ToJsonString());
            Assert.Equal(200 * Milli + Fee, await DailyChargedAsync(h));
            Assert.Single(await h.AuditAsync(), e => e.Kind == "signed" && e.PayloadHash == HashOf(body));
        }
        finally
        {
            DisposePeople(people);
        }
    }

    [Fact]
    public async Task Of_an_attempt_that_outlived_its_lease_and_the_one_that_took_over_only_the_first_to_finish_stores_its_result()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var first = new HeldExecutor(beforeSigning: true);
        Dictionary<string, NSec.Cryptography.Key> people = NewPeople();
        try
        {
            await using ApprovalHarness h = await StartOnAsync(await ServerWithAsync(first, people, clock), people, clock);
            string body = Transfer(200 * Milli, 0);
            // The m-th vote starts attempt 1, which stalls before it signs, past its lease; a reader takes over as attempt 2
            // and signs, logs, charges and stores its result.
            (Task<(HttpStatusCode Status, JsonNode? Body)> stalledVote, JsonNode? takenOver) = await StallTheMthVoteAsync(h, first, body);
            Assert.Equal("signed", takenOver!["state"]!.GetValue<string>());
            string stored = takenOver["result"]!.ToJsonString();

            // Attempt 1 then goes on: the policy still allows it and it signs, but the request is no longer its own, so its
            // transaction logs, charges and stores nothing; its voter is shown what attempt 2 stored.
            first.Release.SetResult();
            (HttpStatusCode status, JsonNode? vote) = await stalledVote;
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("signed", vote!["state"]!.GetValue<string>());
            Assert.Equal(stored, vote["result"]!.ToJsonString());
            (_, JsonNode? after) = await h.GetAsync(takenOver["id"]!.GetValue<string>(), Account);
            Assert.Equal(stored, after!["result"]!.ToJsonString());
            Assert.Equal(2, first.Calls);
            Assert.Equal(200 * Milli + Fee, await DailyChargedAsync(h));
            Assert.Single(await h.AuditAsync(), e => e.Kind == "signed" && e.PayloadHash == HashOf(body));
        }
        finally
        {
            DisposePeople(people);
        }
    }

    private static Task<KeystoreServer> ServerWithAsync(HeldExecutor held, Dictionary<string, NSec.Cryptography.Key> people, ManualClock clock) =>
        KeystoreServer.StartAsync(PeopleSettings(people), b =>
        {
            b.Services.AddSingleton<TimeProvider>(clock);
            ServiceDescriptor sign = b.Services.Single(d => d.ServiceType == typeof(IApprovedRequestExecutor) && d.ImplementationType == typeof(ApprovedSignRequestExecutor));
            b.Services.Remove(sign);
            b.Services.AddSingleton<ApprovedSignRequestExecutor>();
            b.Services.AddSingleton<IApprovedRequestExecutor>(sp => held.Wrap(sp.GetRequiredService<ApprovedSignRequestExecutor>()));
        });

    /// <summary>
    /// Opens <paramref name="body"/>, approves it once, and casts the m-th vote, whose attempt <paramref name="held"/> stalls;
    /// then lets the lease lapse and reads the request: the stalled vote and what the read answered.
    /// </summary>
    private static async Task<(Task<(HttpStatusCode Status, JsonNode? Body)> StalledVote, JsonNode? Read)> StallTheMthVoteAsync(
        ApprovalHarness h, HeldExecutor held, string body)
    {
        string id = await h.OpenAsync(body);
        Assert.Equal(HttpStatusCode.OK, (await h.VoteAsync(id, "bob.near", HashOf(body))).Status);
        Task<(HttpStatusCode Status, JsonNode? Body)> stalledVote = h.VoteAsync(id, "carol.near", HashOf(body));
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        h.Clock!.Advance(TimeSpan.FromSeconds(601));
        (_, JsonNode? read) = await h.GetAsync(id, Account);
        return (stalledVote, read);
    }

    /// <summary>What the account's daily ether window holds now, as a dry run of a small transfer reads it.</summary>
    private static async Task<System.Numerics.BigInteger> DailyChargedAsync(ApprovalHarness h)
    {
        (HttpStatusCode status, JsonNode? dry) = await h.SendAsync(HttpMethod.Post, $"/v1/accounts/{Account}/sign/ethereum?dryRun=true",
            Transfer(Milli, 99), Account, h.AgentKey);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode window = dry!["windows"]!.AsArray().Single(w => w!["limit"]!.GetValue<string>() == "1000000000000000000")!;
        return System.Numerics.BigInteger.Parse(window["current"]!.GetValue<string>());
    }

    /// <summary>
    /// Holds the first approved request it is given until released, before the real executor's work (nothing signed yet)
    /// or after it (signed, logged, charged); later ones pass.
    /// </summary>
    private sealed class HeldExecutor(bool beforeSigning)
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _calls;

        public bool BeforeSigning { get; } = beforeSigning;

        public int Calls => Volatile.Read(ref _calls);

        public IApprovedRequestExecutor Wrap(IApprovedRequestExecutor inner) => new Held(this, inner);

        private sealed class Held(HeldExecutor owner, IApprovedRequestExecutor inner) : IApprovedRequestExecutor
        {
            public string? Kind => inner.Kind;

            public string DoneState => inner.DoneState;

            public async Task<ApprovedRequestOutcome> ExecuteAsync(PendingApproval approval, IReadOnlySet<string> approvedBy, ApprovalResultWrite resultWrite,
                CancellationToken cancellationToken)
            {
                bool first = Interlocked.Increment(ref owner._calls) == 1;
                if (first && owner.BeforeSigning)
                    await HoldAsync();
                ApprovedRequestOutcome outcome = await inner.ExecuteAsync(approval, approvedBy, resultWrite, cancellationToken);
                if (first && !owner.BeforeSigning)
                    await HoldAsync();
                return outcome;
            }

            private async Task HoldAsync()
            {
                owner.Entered.SetResult();
                await owner.Release.Task;
            }
        }
    }
}
